/**
 * Whether the bot can bridge a Telegram chat: it must know the chat, be in it, and be able to read
 * it (admin, or privacy mode off; channels need admin). Failures name the exact fix.
 */
import type { ChatInfo } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';

/** A chat the bridge cannot link, with the reason a user can act on. */
export class TelegramChatNotLinkableError extends Error {
  constructor(
    readonly chatId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'TelegramChatNotLinkableError';
  }
}

/** The Bot API `chat_id` for what a user typed: a numeric id, or a public `@username`. */
export function toChatIdParam(chat: string): string {
  return /^-?\d+$/.test(chat) || chat.startsWith('@') ? chat : `@${chat}`;
}

/** Check the chat and describe it for the portal; throws {@link TelegramChatNotLinkableError}. */
export async function checkChatLinkable(
  telegram: Telegram,
  me: UserFromGetMe,
  chat: string,
  isAllowed: (chatId: string) => boolean,
): Promise<ChatInfo> {
  const bot = `@${me.username}`;
  const found = await telegram.getChat(toChatIdParam(chat)).catch((error: unknown) => {
    throw new TelegramChatNotLinkableError(
      chat,
      `Telegram chat ${chat} is unknown to the bot: add ${bot} to it first (${String(error)}).`,
    );
  });
  const chatId = String(found.id);
  if (!isAllowed(chatId)) {
    throw new TelegramChatNotLinkableError(
      chatId,
      `Telegram chat ${chatId} is not in network.allowed_chats.`,
    );
  }
  if (found.type !== 'private') {
    const member = await telegram.getChatMember(found.id, me.id);
    const admin = member.status === 'administrator' || member.status === 'creator';
    if (member.status === 'left' || member.status === 'kicked') {
      throw new TelegramChatNotLinkableError(chatId, `${bot} is not in this chat: add it to the chat first.`);
    }
    if (found.type === 'channel' && !admin) {
      throw new TelegramChatNotLinkableError(
        chatId,
        `${bot} must be an administrator of the channel to see its posts.`,
      );
    }
    if (!admin && !me.can_read_all_group_messages) {
      throw new TelegramChatNotLinkableError(
        chatId,
        `${bot} has privacy mode on and is not an admin here, so it would only see commands. Fix: make it an admin of the group, or in @BotFather send /setprivacy, choose the bot, pick Disable, then remove and re-add it to the group.`,
      );
    }
  }
  const name = 'title' in found ? found.title : [found.first_name, found.last_name].filter(Boolean).join(' ');
  const kind: ChatInfo['kind'] =
    found.type === 'private' ? 'dm' : found.type === 'channel' ? 'channel' : 'group';
  return { chatId, name, kind };
}
