/**
 * The public threads of a portal's channel that Discord archived while the bridge was away (after
 * 1 hour to 1 week without messages, as set per thread). They are no longer listed as active, yet
 * what was said in them before they were archived, and changes to it, are caught up like in active
 * threads. Discord lists a channel's archived threads most recently archived first
 * (`GET /channels/{id}/threads/archived/public`), so the listing stops at the first thread archived
 * before the bridge's last-seen message: nothing can have been posted in it since, because a
 * message in an archived thread unarchives it.
 */
import { SnowflakeUtil, type AnyThreadChannel, type TextChannel } from 'discord.js';
import type { Logger } from '@trestle/core';

/** Discord's largest page of archived threads. */
const PAGE = 100;
/** Upper bound on archived threads caught up per channel, the most recently archived first. */
export const ARCHIVED_THREADS_LIMIT = 200;

/**
 * Up to {@link ARCHIVED_THREADS_LIMIT} public threads of the channel archived after message `after`
 * was posted; none when Discord would not list them (the rest of the catch-up goes on).
 */
export async function threadsArchivedSince(
  channel: TextChannel,
  after: string,
  log: Logger,
): Promise<AnyThreadChannel[]> {
  const since = SnowflakeUtil.timestampFrom(after);
  const found = new Map<string, AnyThreadChannel>();
  let before: Date | undefined;
  try {
    while (found.size < ARCHIVED_THREADS_LIMIT) {
      // Cached by discord.js, so the fetched thread messages find their thread (and its parent).
      const page = await channel.threads.fetchArchived({
        type: 'public',
        limit: PAGE,
        ...(before && { before }),
      });
      const known = found.size;
      let oldest = Infinity;
      for (const thread of page.threads.values()) {
        const archivedAt = thread.archiveTimestamp ?? 0;
        if (archivedAt < since) return [...found.values()];
        if (found.size < ARCHIVED_THREADS_LIMIT) found.set(thread.id, thread);
        oldest = Math.min(oldest, archivedAt);
      }
      if (!page.hasMore || found.size === known) break;
      // Threads archived in the same millisecond as the page's oldest come again, and are known.
      before = new Date(oldest + 1);
    }
  } catch (err) {
    log.warn('discord archived threads not listed; their messages and changes are not caught up', {
      network: 'discord',
      chat: channel.id,
      err,
    });
  }
  return [...found.values()];
}
