/**
 * The public threads of a portal's channel that Discord archived while the bridge was away (after
 * 1 hour to 1 week without messages, as set per thread). They are no longer listed as active, yet
 * what was said in them before they were archived, and changes to it, are caught up like in active
 * threads. Discord lists a channel's archived threads most recently archived first
 * (`GET /channels/{id}/threads/archived/public`), so the listing stops at the first thread archived
 * before the bridge's last-seen message: nothing can have been posted in it since, because a
 * message in an archived thread unarchives it.
 *
 * A message in an archived thread is also where a Matrix user's edit, reaction or redaction may
 * land: see {@link reopenThreadFor}.
 */
import { SnowflakeUtil, type AnyThreadChannel, type Client, type TextChannel } from 'discord.js';
import { RemoteSendError, type KeyValueStore, type Logger, type MatrixSideEvent } from '@trestle/core';
import { THREAD_OF_MESSAGE_NAMESPACE } from './outbound';

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

/** The message a Matrix user's change is aimed at, and what the change is called in a notice. */
function changeOf(
  event: MatrixSideEvent,
): { messageId: string; deletion: boolean; what: string } | undefined {
  switch (event.kind) {
    case 'edit':
    case 'redaction': {
      const first = event.target[0];
      if (!first) return undefined;
      const deletion = event.kind === 'redaction';
      return { messageId: first.id, deletion, what: deletion ? 'deletion' : 'edit' };
    }
    case 'reaction':
      return { messageId: event.target.id, deletion: false, what: 'reaction' };
    case 'reaction-removed':
      return { messageId: event.target.id, deletion: false, what: 'removal of the reaction' };
    default:
      return undefined;
  }
}

/**
 * Discord takes no edits and no reactions (added or removed) in an archived thread: it answers 400,
 * code 50083 "Thread is archived". Deleting a message is the one change it takes there, unless a
 * moderator also locked the thread. A new message unarchives an unlocked thread by itself, so
 * Matrix users' messages need nothing.
 *
 * So before a Matrix user's edit, reaction or redaction aimed at a message in such a thread, the bot
 * reopens the thread (`PATCH /channels/{thread}` with `archived: false`), which Discord allows with
 * Send Messages in Threads, or Manage Threads if the thread is locked (discord.js's
 * `unarchivable`). Discord archives it again after its inactivity period (archiving it at once
 * would need Manage Threads). Without the permission the change fails with a reason the core tells
 * the room: it is never dropped silently.
 */
export async function reopenThreadFor(
  client: Client<true>,
  kv: KeyValueStore,
  event: MatrixSideEvent,
): Promise<void> {
  const change = changeOf(event);
  if (!change) return;
  const threadId = await kv.get<string>(THREAD_OF_MESSAGE_NAMESPACE, change.messageId);
  if (!threadId) return;
  // Asked of Discord, not the cache: the change may come right behind the archiving, whose gateway
  // event can still be on its way. A thread that is gone: the change itself fails and says why.
  const thread = await client.channels.fetch(threadId, { force: true }).catch(() => null);
  if (!thread?.isThread() || !thread.archived) return;
  if (change.deletion && !thread.locked) return;
  if (!thread.unarchivable) {
    const needs = thread.locked ? 'Manage Threads' : 'Send Messages in Threads';
    throw new RemoteSendError(
      `the Discord thread "${thread.name}" is archived${thread.locked ? ' and locked' : ''}, and the bot ` +
        `may not reopen it (it needs ${needs} there), so the ${change.what} was not made on Discord`,
      { retryable: false, status: 400 },
    );
  }
  await thread.setArchived(false, `Reopened for a Matrix user's ${change.what} (${event.sender.userId})`);
}
