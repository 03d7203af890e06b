/**
 * Bot API methods on forum topics: editForumTopic (renaming). Creating, closing and reopening topics are
 * test-side actions of the simulator, not Bot API methods here.
 */
import { apiErrors } from './api-error';
import { chatBotCanWrite, type MethodHandler } from './method-support';

const editForumTopic: MethodHandler = (world, params) => {
  const chat = chatBotCanWrite(world, params);
  if (!chat.isForum) throw apiErrors.badRequest('the chat is not a forum');
  const member = world.memberObject(chat, world.bot);
  const mayManage =
    member.status === 'creator' || (member.status === 'administrator' && member.can_manage_topics === true);
  if (!mayManage) throw apiErrors.badRequest('not enough rights to manage topics');
  const threadId = params.integer('message_thread_id');
  if (!chat.topics.has(threadId)) throw apiErrors.badRequest('message thread not found');
  const name = params.optionalString('name');
  if (name !== undefined) {
    if (name.length === 0 || name.length > 128) throw apiErrors.badRequest('TOPIC_TITLE_EMPTY');
    // As on Telegram: a service message in the topic, which the bot (its author) gets no update for.
    world.post(chat, world.bot, { forum_topic_edited: { name } }, { threadId });
    chat.topics.set(threadId, name);
  }
  return true;
};

export const forumMethods: Record<string, MethodHandler> = { editForumTopic };
