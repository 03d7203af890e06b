/**
 * The active threads of a portal's channel, for the catch-up after downtime (thread messages, and
 * changes to them, live outside the channel's history). Discord lists a guild's active threads in
 * one request (`GET /guilds/{id}/threads/active`); threads archived by then are not in it.
 */
import type { AnyThreadChannel, FetchedThreads, Guild, TextChannel } from 'discord.js';
import type { Logger } from '@trestle/core';

/**
 * How long one guild's list serves its portals: the portals of a guild are caught up one after
 * another at start-up, and one request per guild is enough for all of them.
 */
const THREAD_LIST_TTL_MS = 60_000;

export class ActiveThreads {
  private readonly byGuild = new Map<string, { fetchedAt: number; threads: Promise<FetchedThreads> }>();

  constructor(private readonly log: Logger) {}

  /** The channel's active threads; none when Discord would not list them (the channel itself can still be caught up). */
  async of(channel: TextChannel): Promise<AnyThreadChannel[]> {
    try {
      const fetched = await this.guildThreads(channel.guild);
      return [...fetched.threads.values()].filter((thread) => thread.parentId === channel.id);
    } catch (err) {
      this.log.warn('discord active threads not listed; their messages and changes are not caught up', {
        network: 'discord',
        chat: channel.id,
        err,
      });
      return [];
    }
  }

  private guildThreads(guild: Guild): Promise<FetchedThreads> {
    const known = this.byGuild.get(guild.id);
    if (known && Date.now() - known.fetchedAt < THREAD_LIST_TTL_MS) return known.threads;
    // Cached by discord.js, so the fetched thread messages find their thread (and its parent).
    const threads = guild.channels.fetchActiveThreads(true);
    // A failed list is asked for again by the next portal rather than remembered.
    threads.catch(() => this.byGuild.delete(guild.id));
    this.byGuild.set(guild.id, { fetchedAt: Date.now(), threads });
    return threads;
  }
}
