/**
 * Bot API methods on text messages: sendMessage, editMessageText, editMessageCaption,
 * deleteMessage and setMessageReaction.
 */
import type { ReactionType } from 'telegraf/types';
import { apiErrors } from './api-error';
import { chatBotCanWrite, readPlacement, readText, type MethodHandler } from './method-support';
import type { StoredMessage } from './sim-state';
import { isAdminStatus } from './visibility';
import { allowedReactionEmoji } from './reaction-emoji';

const notModified = () =>
  apiErrors.badRequest(
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  );

const sendMessage: MethodHandler = (world, params) => {
  const chat = chatBotCanWrite(world, params);
  const text = readText(world, params, 'text')!;
  return world.post(
    chat,
    world.bot,
    { text: text.text, ...(text.entities.length ? { entities: text.entities } : {}) },
    readPlacement(params),
  );
};

/** The bot's own message to edit, or Telegram's refusal. */
function ownMessage(world: Parameters<MethodHandler>[0], params: Parameters<MethodHandler>[1]) {
  const chat = world.state.chat(params.chatId());
  const message = world.state.message(chat, params.integer('message_id'), 'message to edit not found');
  const byBot =
    message.from?.id === world.bot.id ||
    (chat.type === 'channel' && isAdminStatus(chat.members.get(world.bot.id)));
  if (!byBot) throw apiErrors.badRequest("message can't be edited");
  return { chat, message };
}

const editMessageText: MethodHandler = (world, params) => {
  const { chat, message } = ownMessage(world, params);
  if (message.text === undefined) throw apiErrors.badRequest('there is no text in the message to edit');
  const text = readText(world, params, 'text')!;
  if (
    text.text === message.text &&
    JSON.stringify(text.entities) === JSON.stringify(message.entities ?? [])
  ) {
    throw notModified();
  }
  const changes: Partial<StoredMessage> = {
    text: text.text,
    entities: text.entities.length ? text.entities : undefined,
  };
  return world.edit(chat, message, changes, world.bot);
};

const editMessageCaption: MethodHandler = (world, params) => {
  const { chat, message } = ownMessage(world, params);
  if (message.text !== undefined || message.sticker)
    throw apiErrors.badRequest('there is no caption in the message to edit');
  const caption = readText(world, params, 'caption');
  const changes: Partial<StoredMessage> = {
    caption: caption?.text,
    caption_entities: caption?.entities.length ? caption.entities : undefined,
  };
  if (
    changes.caption === message.caption &&
    JSON.stringify(changes.caption_entities) === JSON.stringify(message.caption_entities)
  ) {
    throw notModified();
  }
  return world.edit(chat, message, changes, world.bot);
};

/** Bots delete their own messages, and others' where they are admins; 48 h limit is not simulated. */
const deleteMessage: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  const message = world.state.message(chat, params.integer('message_id'), 'message to delete not found');
  const own = message.from?.id === world.bot.id;
  const admin = isAdminStatus(chat.members.get(world.bot.id));
  if (!own && !admin && chat.type !== 'private') throw apiErrors.badRequest("message can't be deleted");
  world.remove(chat, message.message_id);
  return true;
};

/** Bots (like non-premium users) may set one emoji reaction from Telegram's fixed set. */
const setMessageReaction: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  const messageId = params.integer('message_id');
  const reactions = params.json<ReactionType[]>('reaction') ?? [];
  if (reactions.length > 1) throw apiErrors.badRequest('REACTIONS_TOO_MANY');
  for (const reaction of reactions) {
    if (reaction.type !== 'emoji' || !allowedReactionEmoji.has(reaction.emoji)) {
      throw apiErrors.badRequest('REACTION_INVALID');
    }
  }
  world.react(chat, messageId, world.bot, reactions);
  return true;
};

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage,
  editMessageText,
  editMessageCaption,
  deleteMessage,
  setMessageReaction,
};
