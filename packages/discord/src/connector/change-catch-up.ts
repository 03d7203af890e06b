/**
 * After downtime, find the edits, deletions and reactions Discord users made meanwhile to the
 * recent bridged messages of a portal's channel and of its threads. Discord has no event log
 * for these, so the bridge compares what it remembers ({@link RecentMessages}) with one history page
 * of the channel, and of each thread:
 *
 * - a remembered message whose `edited_timestamp` is newer than the last edit bridged: edited;
 * - a remembered message missing from the page (inside the page's span): deleted;
 * - a reaction whose count differs from what was bridged: its users are fetched and compared.
 *
 * Bounded on purpose: one page of {@link RECENT_WINDOW} messages per channel and per thread, at
 * most {@link THREAD_CHECKS} threads per channel, and at most {@link REACTION_LOOKUPS} reaction user
 * lists (100 users each) per channel and per thread.
 */
import type { AnyThreadChannel, Collection, Message, TextChannel } from 'discord.js';
import type { Logger } from '@trestle/core';
import type { DiscordInbound } from './inbound';
import { RECENT_WINDOW, reactionsByKey, type RecentMessage, type RecentMessages } from './recent-messages';
import { FetchedMembers, reactionKey } from './remote-message';
import { compareSnowflakes, nextSnowflake } from './snowflake-order';

/** Reaction user lists fetched per channel and catch-up (one REST call each). */
export const REACTION_LOOKUPS = 20;
/** Threads of a channel checked per catch-up (a history page each), the most recently active first. */
export const THREAD_CHECKS = 10;

export class ChangeCatchUp {
  constructor(
    private readonly inbound: DiscordInbound,
    private readonly recent: RecentMessages,
    private readonly botUserId: string,
    private readonly log: Logger,
  ) {}

  /** Bridge what changed while the bridge was away in the channel and in its threads (active, or archived meanwhile). */
  async run(channel: TextChannel, threads: AnyThreadChannel[]): Promise<void> {
    // The members the edited messages name, fetched once each for the whole run.
    const members = new FetchedMembers(this.log);
    await this.inChannel(channel, channel.id, members);
    const newestFirst = [...threads].sort((a, b) =>
      compareSnowflakes(b.lastMessageId ?? '0', a.lastMessageId ?? '0'),
    );
    let checks = THREAD_CHECKS;
    for (const thread of newestFirst) {
      if (checks === 0) break;
      if (await this.inChannel(thread, channel.id, members)) checks--;
    }
  }

  /**
   * Bridge what changed in the remembered messages of a channel or thread of the portal's channel
   * `chatId`; false when none are remembered there (nothing was fetched).
   */
  private async inChannel(
    channel: TextChannel | AnyThreadChannel,
    chatId: string,
    members: FetchedMembers,
  ): Promise<boolean> {
    const remembered = await this.recent.list(channel.id);
    if (remembered.length === 0) return false;
    const newest = remembered[remembered.length - 1]![0];
    const page: Collection<string, Message> = await channel.messages.fetch({
      before: nextSnowflake(newest),
      limit: RECENT_WINDOW,
      cache: false,
    });
    // A full page may not reach back to the oldest remembered message: those are not checked.
    const oldestShown = page.size < RECENT_WINDOW ? undefined : [...page.keys()].sort(compareSnowflakes)[0];
    let lookups = REACTION_LOOKUPS;
    for (const [id, known] of remembered) {
      if (oldestShown && compareSnowflakes(id, oldestShown) < 0) continue;
      const message = page.get(id);
      if (!message) {
        await this.inbound.onDeleted(chatId, channel.id, id);
        continue;
      }
      if (!known.fromMatrix && (message.editedTimestamp ?? 0) > (known.edited ?? 0))
        await this.inbound.onEdited(message, members);
      lookups = await this.reactions(message, known, lookups);
    }
    return true;
  }

  /** Bridge the reaction changes of one message; returns the user-list lookups left. */
  private async reactions(message: Message, known: RecentMessage, lookups: number): Promise<number> {
    const bridged = reactionsByKey(known);
    const now = new Map(message.reactions.cache.map((r) => [reactionKey(r.emoji), r]));
    for (const [key, users] of bridged) {
      if (now.has(key)) continue;
      for (const userId of users) await this.inbound.reactionChanged(message, userId, false, key, false);
    }
    for (const [key, reaction] of now) {
      const others = reaction.count - (reaction.me ? 1 : 0);
      const before = bridged.get(key) ?? new Set<string>();
      // Same count: assume unchanged rather than spend a request (a swap of people is missed).
      if (others === before.size) continue;
      if (lookups === 0) {
        this.log.info('discord reaction catch-up skipped: lookup budget spent', {
          network: 'discord',
          chat: message.channelId,
          remote: message.id,
        });
        continue;
      }
      lookups--;
      const users = await reaction.users.fetch({ limit: 100 });
      for (const user of users.values()) {
        if (user.id === this.botUserId || before.has(user.id)) continue;
        await this.inbound.reactionChanged(message, user.id, user.bot, reaction.emoji, true);
      }
      // A list of 100 may be cut short: only people seen missing from a complete list are removed.
      if (users.size >= 100) continue;
      for (const userId of before)
        if (!users.has(userId)) await this.inbound.reactionChanged(message, userId, false, key, false);
    }
    return lookups;
  }
}
