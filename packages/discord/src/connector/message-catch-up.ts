/**
 * After downtime, bridge the messages Discord users posted meanwhile in a portal's channel and in
 * the channel's threads, active or archived meanwhile (thread messages live outside the channel's
 * history). Everything is handed to the core oldest first across the channel and its threads, so a
 * thread started during the downtime follows its starter message and each thread keeps its order.
 *
 * Messages read over REST carry no member objects: the members they name (authors, mentions) are
 * fetched once each per run ({@link FetchedMembers}), so ghosts keep their guild nicknames and
 * mentions show them.
 *
 * Bounded: at most {@link CATCH_UP_LIMIT} messages per channel and per thread.
 */
import type { AnyThreadChannel, Collection, Message, TextChannel } from 'discord.js';
import type { Logger } from '@trestle/core';
import type { DiscordInbound } from './inbound';
import { FetchedMembers } from './remote-message';
import { compareSnowflakes } from './snowflake-order';

/** Discord's largest history page. */
const PAGE = 100;
/** Upper bound on messages fetched per channel, and per thread, after downtime. */
export const CATCH_UP_LIMIT = 1000;

export class MessageCatchUp {
  constructor(
    private readonly inbound: DiscordInbound,
    private readonly log: Logger,
  ) {}

  /** Bridge what was posted after message `after` in the channel and those of its threads with news. */
  async run(channel: TextChannel, threads: AnyThreadChannel[], after: string): Promise<void> {
    const sources: Array<TextChannel | AnyThreadChannel> = [
      channel,
      ...threads.filter(
        (thread) => thread.lastMessageId !== null && compareSnowflakes(thread.lastMessageId, after) > 0,
      ),
    ];
    const missed: Message[] = [];
    for (const source of sources) missed.push(...(await messagesAfter(source, after)));
    missed.sort((a, b) => compareSnowflakes(a.id, b.id));
    const members = new FetchedMembers(this.log);
    for (const message of missed) await this.inbound.onMessage(message, members);
  }
}

/** Up to {@link CATCH_UP_LIMIT} messages of a channel or thread after `after`, in any order. */
async function messagesAfter(channel: TextChannel | AnyThreadChannel, after: string): Promise<Message[]> {
  const messages: Message[] = [];
  let cursor = after;
  while (messages.length < CATCH_UP_LIMIT) {
    const page: Collection<string, Message> = await channel.messages.fetch({
      after: cursor,
      limit: PAGE,
      cache: false,
    });
    messages.push(...page.values());
    if (page.size < PAGE) break;
    cursor = [...page.keys()].sort(compareSnowflakes).at(-1)!;
  }
  return messages;
}
