/**
 * Which messages reach the bot as updates, following Telegram's rules:
 * - bots never see messages from other bots, nor their own, except the service messages their own
 *   actions cause (renaming the chat, opening or renaming a forum topic);
 * - in groups, a bot with privacy mode on (BotFather's default) that is not an admin sees only
 *   commands, replies to its own messages and service messages; admins and bots with privacy off
 *   see everything;
 * - in channels only administrators receive posts;
 * - a bot that left or was removed sees nothing.
 */
import type { User } from 'telegraf/types';
import type { ChatState, MemberStatus, StoredMessage } from './sim-state';
import { startsWithCommand } from './sim-state';

export function isAdminStatus(status: MemberStatus | undefined): boolean {
  return status === 'administrator' || status === 'creator';
}

/** True when `bot` (with privacy mode `privacyMode`) receives `message` from `chat`. */
export function botSeesMessage(
  chat: ChatState,
  message: StoredMessage,
  bot: User,
  privacyMode: boolean,
): boolean {
  const botStatus = chat.members.get(bot.id);
  if (botStatus === undefined || botStatus === 'left' || botStatus === 'kicked') return false;
  if (message.from?.id === bot.id) {
    if (!reachesBotWhenOwn(message)) return false;
  } else if (message.from?.is_bot) return false;
  if (chat.type === 'private') return true;
  if (chat.type === 'channel') return isAdminStatus(botStatus);
  if (!privacyMode || isAdminStatus(botStatus)) return true;
  if (isServiceMessage(message)) return true;
  if (startsWithCommand(message.entities) && commandIsFor(message, bot)) return true;
  return message.reply_to_message?.from?.id === bot.id;
}

function isServiceMessage(message: StoredMessage): boolean {
  return (
    message.migrate_to_chat_id !== undefined ||
    message.migrate_from_chat_id !== undefined ||
    reachesBotWhenOwn(message)
  );
}

/**
 * The service messages Telegram sends a bot even when the bot's own action caused them (the Bot API
 * server skips every other outgoing message): title and photo changes, and forum topic changes. So a
 * bot that renames a chat or opens a topic gets the `new_chat_title` / `forum_topic_created` back.
 */
export function reachesBotWhenOwn(message: StoredMessage): boolean {
  return (
    message.new_chat_title !== undefined ||
    message.new_chat_photo !== undefined ||
    message.delete_chat_photo !== undefined ||
    message.forum_topic_created !== undefined ||
    message.forum_topic_edited !== undefined ||
    message.forum_topic_closed !== undefined ||
    message.forum_topic_reopened !== undefined
  );
}

/** `/cmd@other_bot` is for another bot; `/cmd` and `/cmd@this_bot` are for this one. */
function commandIsFor(message: StoredMessage, bot: User): boolean {
  const command = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!command || !message.text) return false;
  const addressee = message.text.slice(command.offset, command.offset + command.length).split('@')[1];
  return addressee === undefined || addressee.toLowerCase() === bot.username?.toLowerCase();
}
