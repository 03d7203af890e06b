/**
 * Telegram updates -> the core's {@link RemoteEvent}s: messages (text, media, albums item by item,
 * replies, forum threads), edits, and reaction changes (as added/removed keys).
 * Service messages (joins, migrations, topic creation) yield no message event.
 */
import type { RemoteEvent, RemoteUser } from '@trestle/core';
import type { Chat, Message, ReactionType, Update, User } from 'telegraf/types';
import { messageParts, type FileFetcher } from './message-content';

export interface UpdateMappingContext {
  fetchFile: FileFetcher;
  resolveUsername?(username: string): string | undefined;
}

export function remoteUser(user: User): RemoteUser {
  return {
    id: String(user.id),
    displayName: [user.first_name, user.last_name].filter(Boolean).join(' '),
    ...(user.is_bot ? { isBot: true } : {}),
  };
}

/** The author of a message: the user, or for channel posts and anonymous admins the chat itself. */
function author(message: Message): RemoteUser {
  if (message.from && !message.sender_chat) return remoteUser(message.from);
  const chat = (message.sender_chat ?? message.chat) as Chat & { title?: string };
  return { id: String(chat.id), displayName: chat.title ?? 'Channel' };
}

export function updateToEvents(update: Update, context: UpdateMappingContext): RemoteEvent[] {
  if ('message' in update) return messageEvents(update.message, context);
  if ('channel_post' in update) return messageEvents(update.channel_post, context);
  if ('edited_message' in update) return editEvents(update.edited_message as Message, context);
  if ('edited_channel_post' in update) return editEvents(update.edited_channel_post as Message, context);
  if ('message_reaction' in update) return reactionEvents(update.message_reaction);
  return [];
}

function messageEvents(message: Message, context: UpdateMappingContext): RemoteEvent[] {
  const parts = messageParts(message, context.fetchFile, context.resolveUsername);
  if (parts.length === 0) return [];
  const common = message as Message.CommonMessage;
  const reply = common.reply_to_message;
  // In forums every message "replies" to the topic's creation message; that is the thread, not a reply.
  const isTopicRootReply = common.is_topic_message && reply?.message_id === common.message_thread_id;
  return [
    {
      kind: 'message',
      chatId: String(message.chat.id),
      id: String(message.message_id),
      sender: author(message),
      parts,
      ...(reply && !isTopicRootReply ? { replyTo: String(reply.message_id) } : {}),
      ...(common.is_topic_message &&
      common.message_thread_id &&
      common.message_thread_id !== message.message_id
        ? { threadRoot: String(common.message_thread_id) }
        : {}),
      timestamp: message.date * 1000,
    },
  ];
}

function editEvents(message: Message, context: UpdateMappingContext): RemoteEvent[] {
  const [content] = messageParts(message, context.fetchFile, context.resolveUsername);
  if (!content) return [];
  const editDate = (message as Message.CommonMessage).edit_date ?? message.date;
  return [
    {
      kind: 'edit',
      chatId: String(message.chat.id),
      // Each edit is its own event: the edit date tells successive edits apart.
      id: `${message.message_id}:edit:${editDate}`,
      targetId: String(message.message_id),
      sender: author(message),
      content,
      timestamp: editDate * 1000,
    },
  ];
}

function reactionKey(reaction: ReactionType): string {
  return reaction.type === 'emoji'
    ? reaction.emoji
    : `custom_emoji:${(reaction as { custom_emoji_id: string }).custom_emoji_id}`;
}

function reactionEvents(change: Update.MessageReactionUpdate['message_reaction']): RemoteEvent[] {
  if (!change.user) return []; // anonymous (channel) reactions carry no person to bridge
  const sender = remoteUser(change.user);
  const before = new Set(change.old_reaction.map(reactionKey));
  const after = new Set(change.new_reaction.map(reactionKey));
  const base = { chatId: String(change.chat.id), targetId: String(change.message_id), sender };
  return [
    ...[...before]
      .filter((key) => !after.has(key))
      .map((key): RemoteEvent => ({ kind: 'reaction-removed', ...base, key })),
    ...[...after]
      .filter((key) => !before.has(key))
      .map((key): RemoteEvent => ({ kind: 'reaction', ...base, key })),
  ];
}
