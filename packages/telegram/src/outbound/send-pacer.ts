/**
 * Pacing of the bot's posts so that Telegram's flood limits are kept instead of provoked. The Bot API
 * FAQ (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this) gives about
 * one message per second in a private chat, 20 messages per minute in a group and 30 messages per second
 * overall; beyond them Telegram answers 429 and makes the bot wait. Each post takes the earliest slot
 * its chat's window and the overall window allow, so a burst is queued, kept in order, and never dropped.
 *
 * Telegram counts a post when it arrives, which is some time after the bridge sent it and before the
 * answer came back. So a post counts from its answer (or from now while it is still on its way): two
 * posts then arrive at least a window apart however slow the network or the event loop is.
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

/** A post that took a slot: on its way until `answeredAt` is set. */
interface Post {
  answeredAt?: number;
}

/** How long to wait at most before looking again while the slot depends on posts still on their way. */
const recheckMs = 25;

export class SendPacer {
  private readonly byChat = new Map<string, Post[]>();
  private overall: Post[] = [];

  constructor(
    private readonly limits: PaceLimits,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Run `post` (one Bot API call that posts to `chatId`) in the chat's next free slot. */
  async run<T>(chatId: string, post: () => Promise<T>): Promise<T> {
    const taken = await this.take(chatId);
    try {
      return await post();
    } finally {
      taken.answeredAt = this.now();
    }
  }

  private async take(chatId: string): Promise<Post> {
    const chatLimit = /^\d+$/.test(chatId) ? this.limits.privateChat : this.limits.group;
    for (;;) {
      const now = this.now();
      const chatPosts = this.trimmed(this.byChat.get(chatId) ?? [], chatLimit, now);
      this.byChat.set(chatId, chatPosts);
      this.overall = this.trimmed(this.overall, this.limits.overall, now);
      const at = Math.max(
        slotAfter(chatPosts, chatLimit, now),
        slotAfter(this.overall, this.limits.overall, now),
      );
      if (at <= now) {
        const post: Post = {};
        chatPosts.push(post);
        this.overall.push(post);
        return post;
      }
      const waiting = [...chatPosts, ...this.overall].some((p) => p.answeredAt === undefined);
      await this.sleep(waiting ? Math.min(at - now, recheckMs) : at - now);
    }
  }

  /** Drop answered posts that no longer count (answered a whole window ago). */
  private trimmed(posts: Post[], limit: PaceLimit, now: number): Post[] {
    const horizon = now - limit.seconds * 1000;
    return posts.some((p) => p.answeredAt !== undefined && p.answeredAt <= horizon)
      ? posts.filter((p) => p.answeredAt === undefined || p.answeredAt > horizon)
      : posts;
  }
}

/**
 * The earliest time a new post fits the window: now when fewer than `limit.messages` posts count,
 * else when the oldest of the last `limit.messages` leaves it (a post on its way counts as arriving now).
 */
function slotAfter(posts: Post[], limit: PaceLimit, now: number): number {
  if (posts.length < limit.messages) return now;
  const times = posts.map((p) => p.answeredAt ?? now).sort((a, b) => a - b);
  return times[times.length - limit.messages]! + limit.seconds * 1000;
}
