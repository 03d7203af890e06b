/**
 * Telegram -> Matrix for a chat's title: a `new_chat_title` service message renames the portal room
 * (the message itself is also bridged, as a notice saying who renamed it). Renames the bridge made from
 * Matrix never get here (see `RenameEchoes`).
 */
import type { RemoteEvent } from '@trestle/core';
import type { Message, Update } from 'telegraf/types';
import { postedMessage } from './posted-message';

export function titleChangeEvent(
  update: Update,
): (Extract<RemoteEvent, { kind: 'chat-info' }> & { name: string }) | undefined {
  const message = postedMessage(update) as Partial<Message.NewChatTitleMessage> | undefined;
  if (!message?.chat || message.new_chat_title === undefined) return undefined;
  return { kind: 'chat-info', chatId: String(message.chat.id), name: message.new_chat_title };
}
