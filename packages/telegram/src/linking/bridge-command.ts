/**
 * `/bridge` in a Telegram chat: an admin of the chat approves linking it to Matrix (see
 * {@link LinkConsent}). The bot answers in the chat either way, so nobody is left guessing.
 */
import type { Telegram } from 'telegraf';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import type { LinkConsent } from './link-consent';

/** True when `text` is `/bridge` or `/bridge@<this bot>`. */
export function isBridgeCommand(text: string, botUsername: string): boolean {
  const match = /^\/bridge(?:@(\w+))?(?:\s|$)/.exec(text);
  return !!match && (!match[1] || match[1].toLowerCase() === botUsername.toLowerCase());
}

export class BridgeCommand {
  constructor(
    private readonly telegram: Telegram,
    private readonly me: UserFromGetMe,
    private readonly consent: LinkConsent,
  ) {}

  /** Handle the update if it is a `/bridge` command; true when it was (it is then not bridged). */
  async handle(update: Update): Promise<boolean> {
    const message: Message | undefined =
      'message' in update ? update.message : 'channel_post' in update ? update.channel_post : undefined;
    if (!message || !('text' in message) || !isBridgeCommand(message.text, this.me.username)) return false;
    const chatId = String(message.chat.id);
    if (message.chat.type === 'private') {
      await this.reply(message, 'Only groups, supergroups and channels can be bridged to Matrix rooms.');
      return true;
    }
    // In channels only admins can post at all; elsewhere ask Telegram about the sender.
    const byAdmin =
      message.chat.type === 'channel' ||
      (message.from !== undefined && (await this.isAdmin(chatId, message.from.id)));
    if (!byAdmin) {
      await this.reply(message, 'Only an admin of this chat can approve bridging it to Matrix.');
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
