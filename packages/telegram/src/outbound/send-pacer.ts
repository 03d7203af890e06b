/**
 * Pacing of the bot's posts so that Telegram's flood limits are kept instead of provoked. The Bot API
 * FAQ (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this) gives about
 * one message per second in a private chat, 20 messages per minute in a group and 30 messages per second
 * overall; beyond them Telegram answers 429 and makes the bot wait. Each post takes the earliest slot
 * its chat's window and the overall window allow, in call order, so a burst is queued, kept in order,
 * and never dropped.
 */

/** At most `messages` in any `seconds`. */
export interface PaceLimit {
  messages: number;
  seconds: number;
}

export interface PaceLimits {
  privateChat: PaceLimit;
  group: PaceLimit;
  overall: PaceLimit;
}

export class SendPacer {
  /** Reserved send times per chat (ascending) and overall (ascending). */
  private readonly byChat = new Map<string, number[]>();
  private overall: number[] = [];

  constructor(
    private readonly limits: PaceLimits,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when the next post to `chatId` may go out (immediately when under the limits). */
  async wait(chatId: string): Promise<void> {
    const at = this.reserve(chatId);
    const delay = at - this.now();
    if (delay > 0) await this.sleep(delay);
  }

  /** The earliest time both windows have room for one more post, recorded as taken. */
  private reserve(chatId: string): number {
    const now = this.now();
    const chatLimit = /^\d+$/.test(chatId) ? this.limits.privateChat : this.limits.group;
    const chatTimes = this.trimmed(this.byChat.get(chatId) ?? [], chatLimit, now);
    const overallTimes = this.trimmed(this.overall, this.limits.overall, now);
    let at = now;
    for (let moved = true; moved;) {
      const chatAt = earliestSlot(chatTimes, chatLimit, at);
      const overallAt = earliestSlot(overallTimes, this.limits.overall, chatAt);
      moved = overallAt !== at;
      at = overallAt;
    }
    chatTimes.push(at);
    insertSorted(overallTimes, at);
    this.byChat.set(chatId, chatTimes);
    this.overall = overallTimes;
    return at;
  }

  /** Drop times that no longer count (older than one window before now). */
  private trimmed(times: number[], limit: PaceLimit, now: number): number[] {
    const horizon = now - limit.seconds * 1000;
    let first = 0;
    while (first < times.length && times[first]! <= horizon) first += 1;
    return first === 0 ? times : times.slice(first);
  }
}

/** The earliest time ≥ `from` at which fewer than `limit.messages` of `times` fall in the window before it. */
function earliestSlot(times: number[], limit: PaceLimit, from: number): number {
  const windowMs = limit.seconds * 1000;
  // Reservations after `from` count too: a slot must not crowd a window that ends later.
  const counted = times.filter((t) => t > from - windowMs).length;
  if (counted < limit.messages) return from;
  // The slot opens when the oldest post that keeps the window full leaves it, plus a margin: Telegram
  // counts a post when it arrives, a little after the slot it left in.
  const blocking = times[times.length - limit.messages]!;
  return Math.max(from, blocking + windowMs + Math.min(1000, windowMs * 0.05));
}

function insertSorted(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1]! > at) i -= 1;
  times.splice(i, 0, at);
}
