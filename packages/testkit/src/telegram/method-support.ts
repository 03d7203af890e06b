/**
 * Checks and parameter readers shared by the Bot API method handlers.
 */
import type { MessageEntity, ReplyParameters } from 'telegraf/types';
import { apiErrors, TelegramApiError } from './api-error';
import { composeText } from './message-text';
import type { RequestParams } from './request-params';
import type { ChatState } from './sim-state';
import type { PostPlacement, SimWorld } from './sim-world';
import { isAdminStatus } from './visibility';

/** A Bot API method: reads its parameters, changes the world, returns the `result`. `signal` fires when the client hangs up. */
export type MethodHandler = (world: SimWorld, params: RequestParams, signal: AbortSignal) => unknown;

/** The chat named by `chat_id`, if the bot may post there; otherwise Telegram's 400/403. */
export function chatBotCanWrite(world: SimWorld, params: RequestParams): ChatState {
  const chat = world.state.chat(params.chatId());
  const status = chat.members.get(world.bot.id);
  if (chat.type === 'private') return chat;
  if (status === 'kicked') throw apiErrors.kicked(chat.type);
  if (status === undefined || status === 'left') {
    throw new TelegramApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
  }
  if (status === 'restricted')
    throw apiErrors.badRequest('not enough rights to send text messages to the chat');
  if (chat.type === 'channel' && !isAdminStatus(status)) {
    throw apiErrors.badRequest('need administrator rights in the channel chat');
  }
  return chat;
}

/** Reply and thread placement from `reply_parameters` (or the older `reply_to_message_id`). */
export function readPlacement(params: RequestParams): PostPlacement {
  const replyParameters = params.json<ReplyParameters>('reply_parameters');
  const legacyReplyId = params.optionalInteger('reply_to_message_id');
  const replyTo =
    replyParameters ??
    (legacyReplyId !== undefined
      ? {
          message_id: legacyReplyId,
          allow_sending_without_reply: params.boolean('allow_sending_without_reply'),
        }
      : undefined);
  const threadId = params.optionalInteger('message_thread_id');
  return { ...(replyTo ? { replyTo } : {}), ...(threadId !== undefined ? { threadId } : {}) };
}

/** `text`/`caption` plus `parse_mode` and explicit entities, composed the way Telegram stores them. */
export function readText(
  world: SimWorld,
  params: RequestParams,
  field: 'text' | 'caption',
): { text: string; entities: MessageEntity[] } | undefined {
  const raw = field === 'text' ? params.string('text') : params.optionalString('caption');
  if (raw === undefined || raw === '') return undefined;
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  return composeText(
    {
      text: raw,
      parseMode: params.optionalString('parse_mode'),
      entities: params.json<MessageEntity[]>(entitiesField),
    },
    field,
    (id) => world.state.users.get(id),
  );
}

/** True when the bot is the chat's creator, or an admin holding `right` (e.g. "Manage topics"). */
export function botHasRight(
  world: SimWorld,
  chat: ChatState,
  right: 'can_manage_topics' | 'can_change_info',
): boolean {
  const member = world.memberObject(chat, world.bot);
  if (member.status === 'creator') return true;
  return (
    member.status === 'administrator' && (member as Partial<Record<typeof right, boolean>>)[right] === true
  );
}
