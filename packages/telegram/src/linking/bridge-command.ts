/**
 * `/bridge` and `/unbridge` in a Telegram chat, by an admin of the chat: `/bridge` approves linking it
 * to Matrix (see {@link LinkConsent}); `/unbridge` removes its portal (the Matrix room stays, with a
 * notice). The bot answers in the chat either way, so nobody is left guessing.
 */
import type { Telegram } from 'telegraf';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import type { LinkConsent } from './link-consent';

export type LinkCommand = 'bridge' | 'unbridge';

/** The link command `text` is (`/bridge`, `/unbridge`, optionally `@<this bot>`), if any. */
export function linkCommandOf(text: string, botUsername: string): LinkCommand | undefined {
  const match = /^\/(bridge|unbridge)(?:@(\w+))?(?:\s|$)/.exec(text);
  if (!match || (match[2] && match[2].toLowerCase() !== botUsername.toLowerCase())) return undefined;
  return match[1] as LinkCommand;
}

export class BridgeCommand {
  constructor(
    private readonly telegram: Telegram,
    private readonly me: UserFromGetMe,
    private readonly consent: LinkConsent,
    /** Remove the chat's portal; false when it had none. */
    private readonly unlink: (chatId: string, reason: string) => Promise<boolean>,
  ) {}

  /** Handle the update if it is `/bridge` or `/unbridge`; true when it was (it is then not bridged). */
  async handle(update: Update): Promise<boolean> {
    const message: Message | undefined =
      'message' in update ? update.message : 'channel_post' in update ? update.channel_post : undefined;
    const command = message && 'text' in message ? linkCommandOf(message.text, this.me.username) : undefined;
    if (!message || !command) return false;
    const chatId = String(message.chat.id);
    if (message.chat.type === 'private') {
      await this.reply(
        message,
        'Only groups, supergroups and channels are linked to Matrix rooms; private chats are paired (send /start).',
      );
      return true;
    }
    // In channels only admins can post at all; elsewhere ask Telegram about the sender.
    const byAdmin =
      message.chat.type === 'channel' ||
      (message.from !== undefined && (await this.isAdmin(chatId, message.from.id)));
    if (!byAdmin) {
      await this.reply(
        message,
        command === 'bridge'
          ? 'Only an admin of this chat can approve bridging it to Matrix.'
          : 'Only an admin of this chat can stop bridging it to Matrix.',
      );
      return true;
    }
    if (command === 'unbridge') {
      const who = message.from ? `@${message.from.username ?? message.from.first_name}` : 'a channel admin';
      const unlinked = await this.unlink(chatId, `${who}, an admin of the Telegram chat, sent /unbridge.`);
      await this.reply(
        message,
        unlinked ? 'This chat is no longer bridged to Matrix.' : 'This chat is not bridged to Matrix.',
      );
      return true;
    }
    await this.consent.grant(chatId, message.from?.id ?? message.chat.id);
    await this.reply(
      message,
      `Approved: for the next hour, a Matrix admin can link this chat (id ${chatId}) to a Matrix room with the bridge's link command.`,
    );
    return true;
  }

  private async isAdmin(chatId: string, userId: number): Promise<boolean> {
    const member = await this.telegram.getChatMember(chatId, userId);
    return member.status === 'creator' || member.status === 'administrator';
  }

  private async reply(message: Message, text: string): Promise<void> {
    await this.telegram.sendMessage(message.chat.id, text, {
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    });
  }
}
