/**
 * A Telegram user's private chat with the bot. Paired with a Matrix user (see {@link Pairings}), it is
 * bridged like any chat, to a direct room; unpaired, the bot answers every message with how to pair,
 * so nobody writes into a void. `/start`, `/pair <code>` and `/unpair` are answered here and never
 * bridged.
 */
import type { Telegram } from 'telegraf';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import type { Pairings } from './pairings';

/** What the private chats need from the rest of the bridge. */
export interface PrivateChatsDeps {
  telegram: Telegram;
  me: UserFromGetMe;
  pairings: Pairings;
  /** Stop bridging a private chat (its Matrix room stays, with a notice saying why). */
  unlink(chatId: string, reason: string): Promise<boolean>;
}

/** The private message of an update, if it is one. */
function privateMessage(update: Update): Message | undefined {
  const message =
    'message' in update ? update.message : 'edited_message' in update ? update.edited_message : undefined;
  return message?.chat.type === 'private' ? (message as Message) : undefined;
}

/** `/name args` or `/name@thisbot args` as `{ name, args }`. */
function parseCommand(text: string, botUsername: string): { name: string; args: string } | undefined {
  const match = /^\/([a-z_]+)(?:@(\w+))?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match || (match[2] && match[2].toLowerCase() !== botUsername.toLowerCase())) return undefined;
  return { name: match[1]!.toLowerCase(), args: (match[3] ?? '').trim() };
}

export class PrivateChats {
  constructor(private readonly d: PrivateChatsDeps) {}

  /** Explains pairing; sent to unpaired users and on `/start`. */
  get howToPair(): string {
    return (
      `Hi! @${this.d.me.username} bridges Telegram to Matrix. To talk with a Matrix user here, ask them to ` +
      `send "pair" to the bridge bot on Matrix; it gives them a code. Then send me /pair <code> within ` +
      `10 minutes. Until then, nothing you write here reaches Matrix.`
    );
  }

  /**
   * Handle a private-chat update that is a command, or that comes from an unpaired user; true when
   * it was handled here (and must not be bridged). Paired users' messages return false.
   */
  async handle(update: Update): Promise<boolean> {
    if ('message_reaction' in update && update.message_reaction.chat.type === 'private')
      return !(await this.d.pairings.pairingOf(String(update.message_reaction.chat.id)));
    const message = privateMessage(update);
    if (!message) return false;
    const chatId = String(message.chat.id);
    const command = 'text' in message ? parseCommand(message.text, this.d.me.username) : undefined;
    const edited = 'edited_message' in update;
    const run = command && this.commandRunner(command.name, message, command.args);
    if (run) {
      if (!edited) await run(); // an edited command is not run again, nor bridged
      return true;
    }
    if (await this.d.pairings.pairingOf(chatId)) return false;
    if (!edited) await this.reply(message, this.howToPair);
    return true;
  }

  private commandRunner(name: string, message: Message, args: string): (() => Promise<void>) | undefined {
    if (name === 'pair') return () => this.pair(message, args);
    if (name === 'unpair') return () => this.unpair(message);
    if (name === 'start') return () => this.start(message);
    return undefined;
  }

  private async start(message: Message): Promise<void> {
    const pairing = await this.d.pairings.pairingOf(String(message.chat.id));
    await this.reply(
      message,
      pairing
        ? `You are paired with ${pairing.matrixUserId} on Matrix: what you write here reaches them. Send /unpair to stop.`
        : this.howToPair,
    );
  }

  private async pair(message: Message, code: string): Promise<void> {
    const chatId = String(message.chat.id);
    if (!code) return this.reply(message, 'Send the code with the command: /pair <code>.');
    const result = await this.d.pairings.redeem(chatId, code);
    if (!result) {
      return this.reply(
        message,
        'That code is unknown or expired (codes work once, for 10 minutes). Ask your Matrix contact for a new one: they send "pair" to the bridge bot on Matrix.',
      );
    }
    if (result.replaced)
      await this.d.unlink(chatId, `the Telegram user paired with ${result.pairing.matrixUserId} instead`);
    await this.reply(
      message,
      `Paired with ${result.pairing.matrixUserId}. What you write here now reaches them in a direct room on Matrix, and their answers come back here. Send /unpair to stop.`,
    );
  }

  private async unpair(message: Message): Promise<void> {
    const chatId = String(message.chat.id);
    const was = await this.d.pairings.remove(chatId);
    if (!was) return this.reply(message, 'You are not paired with anyone on Matrix.');
    await this.d.unlink(chatId, 'the Telegram user unpaired from Matrix');
    await this.reply(message, `Unpaired from ${was}: nothing you write here reaches Matrix any more.`);
  }

  private async reply(message: Message, text: string): Promise<void> {
    await this.d.telegram.sendMessage(message.chat.id, text);
  }
}
