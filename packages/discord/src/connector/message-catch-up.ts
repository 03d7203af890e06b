/**
 * After downtime, bridge the messages Discord users posted meanwhile in a portal's channel and in
 * the channel's active threads (thread messages live outside the channel's history). Everything is
 * handed to the core oldest first across the channel and its threads, so a thread started during
 * the downtime follows its starter message and each thread keeps its order.
 *
 * Bounded: at most {@link CATCH_UP_LIMIT} messages per channel and per thread. Threads archived by
 * the time the bridge is back are not listed as active, so their messages are not caught up.
 */
import type { AnyThreadChannel, Collection, FetchedThreads, Guild, Message, TextChannel } from 'discord.js';
import type { Logger } from '@trestle/core';
import type { DiscordInbound } from './inbound';
import { compareSnowflakes } from './snowflake-order';

/** Discord's largest history page. */
const PAGE = 100;
/** Upper bound on messages fetched per channel, and per thread, after downtime. */
export const CATCH_UP_LIMIT = 1000;
/**
 * How long one guild's list of active threads serves its portals: the portals of a guild are
 * caught up one after another at start-up, and one request per guild is enough for all of them.
 */
const THREAD_LIST_TTL_MS = 60_000;

export class MessageCatchUp {
  private readonly activeThreads = new Map<string, { fetchedAt: number; threads: Promise<FetchedThreads> }>();

  constructor(
    private readonly inbound: DiscordInbound,
    private readonly log: Logger,
  ) {}

  /** Bridge what was posted in the channel and its active threads after message `after`. */
  async run(channel: TextChannel, after: string): Promise<void> {
    const sources: Array<TextChannel | AnyThreadChannel> = [
      channel,
      ...(await this.threadsWithNews(channel, after)),
    ];
    const missed: Message[] = [];
    for (const source of sources) missed.push(...(await messagesAfter(source, after)));
    missed.sort((a, b) => compareSnowflakes(a.id, b.id));
    for (const message of missed) await this.inbound.onMessage(message);
  }

  /** The channel's active threads with a message newer than `after`. */
  private async threadsWithNews(channel: TextChannel, after: string): Promise<AnyThreadChannel[]> {
    let fetched: FetchedThreads;
    try {
      fetched = await this.guildThreads(channel.guild);
    } catch (err) {
      // The channel itself can still be caught up.
      this.log.warn('discord active threads not listed; thread messages are not caught up', {
        network: 'discord',
        chat: channel.id,
        err,
      });
      return [];
    }
    return [...fetched.threads.values()].filter(
      (thread) =>
        thread.parentId === channel.id &&
        thread.lastMessageId !== null &&
        compareSnowflakes(thread.lastMessageId, after) > 0,
    );
  }

  /** `GET /guilds/{id}/threads/active`, once per guild and {@link THREAD_LIST_TTL_MS}. */
  private guildThreads(guild: Guild): Promise<FetchedThreads> {
    const known = this.activeThreads.get(guild.id);
    if (known && Date.now() - known.fetchedAt < THREAD_LIST_TTL_MS) return known.threads;
    // Cached by discord.js, so the fetched thread messages find their thread (and its parent).
    const threads = guild.channels.fetchActiveThreads(true);
    // A failed list is asked for again by the next portal rather than remembered.
    threads.catch(() => this.activeThreads.delete(guild.id));
    this.activeThreads.set(guild.id, { fetchedAt: Date.now(), threads });
    return threads;
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
