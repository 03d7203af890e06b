/**
 * Bot API methods on forum topics: createForumTopic and editForumTopic (renaming). Closing and reopening
 * topics are test-side actions of the simulator, not Bot API methods here.
 */
import type { ForumTopic, User } from 'telegraf/types';
import { apiErrors } from './api-error';
import { botHasRight, chatBotCanWrite, type MethodHandler } from './method-support';
import type { RequestParams } from './request-params';
import type { ChatState, StoredMessage } from './sim-state';
import type { SimWorld } from './sim-world';

/** Telegram's default topic icon colour (the first of the six it allows). */
const defaultIconColor = 0x6fb9f0;

/**
 * Open a topic in a forum, as `creator`: its `forum_topic_created` service message opens the thread, and
 * its own id is the topic's `message_thread_id`. Shared by the Bot API method and the test-side action.
 */
export function openForumTopic(
  world: SimWorld,
  chat: ChatState,
  creator: User,
  name: string,
  iconColor = defaultIconColor,
): StoredMessage {
  if (!chat.isForum) throw apiErrors.badRequest('the chat is not a forum');
  const message = world.post(chat, creator, {
    forum_topic_created: { name, icon_color: iconColor },
    message_thread_id: chat.nextMessageId,
    is_topic_message: true,
  });
  chat.topics.set(message.message_id, name);
  return message;
}

/** A topic name as Telegram takes it: 1-128 characters. */
function topicName(params: RequestParams, required: boolean): string | undefined {
  const name = required ? params.string('name') : params.optionalString('name');
  if (name !== undefined && (name.length === 0 || name.length > 128))
    throw apiErrors.badRequest('TOPIC_TITLE_EMPTY');
  return name;
}

const createForumTopic: MethodHandler = (world, params): ForumTopic => {
  const chat = chatBotCanWrite(world, params);
  if (!chat.isForum) throw apiErrors.badRequest('the chat is not a forum');
  if (!botHasRight(world, chat, 'can_manage_topics'))
    throw apiErrors.badRequest('not enough rights to create a topic');
  const name = topicName(params, true)!;
  const iconColor = params.optionalInteger('icon_color') ?? defaultIconColor;
  // As on Telegram, the bot gets the creation's service message as an update too (see reachesBotWhenOwn).
  const created = openForumTopic(world, chat, world.bot, name, iconColor);
  return { message_thread_id: created.message_id, name, icon_color: iconColor };
};

const editForumTopic: MethodHandler = (world, params) => {
  const chat = chatBotCanWrite(world, params);
  if (!chat.isForum) throw apiErrors.badRequest('the chat is not a forum');
  if (!botHasRight(world, chat, 'can_manage_topics'))
    throw apiErrors.badRequest('not enough rights to manage topics');
  const threadId = params.integer('message_thread_id');
  if (!chat.topics.has(threadId)) throw apiErrors.badRequest('message thread not found');
  const name = topicName(params, false);
  if (name !== undefined) {
    // As on Telegram: a service message in the topic, which the bot gets as an update too.
    world.post(chat, world.bot, { forum_topic_edited: { name } }, { threadId });
    chat.topics.set(threadId, name);
  }
  return true;
};

export const forumMethods: Record<string, MethodHandler> = { createForumTopic, editForumTopic };
