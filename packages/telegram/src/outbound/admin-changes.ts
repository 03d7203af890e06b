/**
 * Changes on Telegram that a Matrix user asks for and that need the bot to be an admin with a given right
 * (renaming the group or a topic, opening a topic, setting the description). Telegram's refusal is told in
 * the Matrix room with the exact fix and is not retried: retrying cannot grant the right. Rate limits,
 * server errors and network failures are thrown for the core to retry as usual.
 */
import { TelegramError } from 'telegraf';
import { toRemoteSendError } from '../telegram-errors';

/** What a refused change tells the room. */
export interface AdminChange {
  /** The start of the notice: "The group could not be renamed". */
  failure: string;
  /** The admin right the change needs, as Telegram's apps name it. */
  right: 'Manage topics' | 'Change group info' | 'Change channel info';
  /** Where the bot must be that admin. */
  chat: 'group' | 'channel';
  /** Names the operation in errors thrown for the core ("telegram chat title"). */
  operation: string;
}

export class AdminChanges {
  constructor(
    private readonly deps: {
      /** The bot's @username, for the fix the notice names. */
      botUsername: string;
      notice(roomId: string, text: string): Promise<void>;
    },
  ) {}

  /** Run `change`; resolves true when Telegram made it, false when it refused (the room was told why). */
  async attempt(roomId: string, change: AdminChange, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (!(error instanceof TelegramError) || error.code === 429 || error.code >= 500)
        throw toRemoteSendError(error, change.operation);
      const fix = /rights|admin/i.test(error.description)
        ? ` Fix: make @${this.deps.botUsername} an admin of the ${change.chat} with the "${change.right}" right.`
        : '';
      await this.deps.notice(roomId, `⚠️ ${change.failure} on Telegram (${error.description}).${fix}`);
      return false;
    }
  }
}
