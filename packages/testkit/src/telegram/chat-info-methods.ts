/**
 * Bot API methods that change a chat's info: setChatTitle and setChatDescription. Both need the bot to be
 * the creator or an admin with the "Change group info" right (`can_change_info`). A new title is announced
 * with a `new_chat_title` service message, which Telegram sends the bot too; a description change posts
 * nothing. Error texts are the Bot API's renderings of TDLib's.
 */
import type { User } from 'telegraf/types';
import { apiErrors } from './api-error';
import { botHasRight, chatBotCanWrite, type MethodHandler } from './method-support';
import type { ChatState } from './sim-state';
import type { SimWorld } from './sim-world';

const maxTitleLength = 128;
const maxDescriptionLength = 255;

/** Rename a chat as `actor`: the title changes and a `new_chat_title` service message is posted. */
export function renameChat(world: SimWorld, chat: ChatState, actor: User, title: string): void {
  chat.title = title;
  world.post(chat, actor, { new_chat_title: title });
}

const setChatTitle: MethodHandler = (world, params) => {
  const chat = chatBotCanWrite(world, params);
  if (chat.type === 'private') throw apiErrors.badRequest("can't change private chat title");
  // Telegram trims the title and cuts it to its length limit rather than refusing it.
  const title = params.string('title').trim().slice(0, maxTitleLength);
  if (!title) throw apiErrors.badRequest('title must be non-empty');
  if (!botHasRight(world, chat, 'can_change_info'))
    throw apiErrors.badRequest('not enough rights to change chat title');
  // The same title again changes nothing and announces nothing.
  if (title !== chat.title) renameChat(world, chat, world.bot, title);
  return true;
};

const setChatDescription: MethodHandler = (world, params) => {
  const chat = chatBotCanWrite(world, params);
  if (chat.type === 'private') throw apiErrors.badRequest("can't change private chat description");
  const description = params.optionalString('description') ?? '';
  if (!botHasRight(world, chat, 'can_change_info'))
    throw apiErrors.badRequest('not enough rights to set chat description');
  if (description.length > maxDescriptionLength) throw apiErrors.badRequest('CHAT_ABOUT_TOO_LONG');
  if (description === (chat.description ?? ''))
    throw apiErrors.badRequest('chat description is not modified');
  chat.description = description;
  world.emit('change');
  return true;
};

export const chatInfoMethods: Record<string, MethodHandler> = { setChatTitle, setChatDescription };
