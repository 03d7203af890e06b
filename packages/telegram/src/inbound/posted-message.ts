/** The message an update posts: a group or private message, or a channel post (edits excluded). */
import type { Message, Update } from 'telegraf/types';

export function postedMessage(update: Update): Message | undefined {
  if ('message' in update) return update.message;
  if ('channel_post' in update) return update.channel_post;
  return undefined;
}
