/**
 * Telegram's flood limits for bots, opt-in: the Bot API FAQ says a bot should send no more than about
 * one message per second to a private chat, 20 messages per minute to a group, and 30 messages per
 * second overall (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 * Exceeding one answers `429 Too Many Requests` with `retry_after`, as Telegram does. Sliding windows;
 * only calls that post a message count.
 */
import { apiErrors } from './api-error';

/** At most `messages` within any `windowMs`. */
export interface FloodLimit {
  messages: number;
  windowMs: number;
}

export interface FloodLimitOptions {
  /** Per private chat (Telegram: about 1 per second). */
  privateChat?: FloodLimit;
  /** Per group, supergroup or channel (Telegram: 20 per minute). */
  groupChat?: FloodLimit;
  /** Across all chats (Telegram: 30 per second). */
  overall?: FloodLimit;
}

/** Telegram's documented figures. */
export const telegramFloodLimits: Required<FloodLimitOptions> = {
  privateChat: { messages: 1, windowMs: 1000 },
  groupChat: { messages: 20, windowMs: 60_000 },
  overall: { messages: 30, windowMs: 1000 },
};

const postingMethods = /^(send(?!chataction)|copymessage|forwardmessage)/i;

export class FloodLimits {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly options: FloodLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count a call; throws the 429 Telegram would answer when it exceeds a limit. */
  take(method: string, chatId: number | string): void {
    if (!postingMethods.test(method)) return;
    const isPrivate = typeof chatId === 'number' && chatId > 0;
    const checks: Array<[string, FloodLimit | undefined]> = [
      [`chat:${chatId}`, isPrivate ? this.options.privateChat : this.options.groupChat],
      ['overall', this.options.overall],
    ];
    const at = this.now();
    for (const [key, limit] of checks) {
      if (!limit) continue;
      const recent = this.recent(key, limit, at);
      if (recent.length >= limit.messages) {
        const retryAfter = Math.max(1, Math.ceil((recent[0]! + limit.windowMs - at) / 1000));
        throw apiErrors.tooManyRequests(retryAfter);
      }
    }
    for (const [key, limit] of checks) if (limit) this.sent.get(key)!.push(at);
  }

  private recent(key: string, limit: FloodLimit, at: number): number[] {
    const times = (this.sent.get(key) ?? []).filter((t) => t > at - limit.windowMs);
    this.sent.set(key, times);
    return times;
  }
}
