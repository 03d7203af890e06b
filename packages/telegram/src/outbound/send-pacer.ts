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
 *
 * Telegram's windows outlive the bridge process, so the pacer's can be saved ({@link SendPacer.windows})
 * and given to the next process ({@link SendPacer.restore}): a restart in the middle of a burst then keeps
 * pacing instead of sending a whole window at once into a chat Telegram still counts as busy.
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

/**
 * The posts that still count, as saved across a restart: for each chat (and overall), how many ms before
 * `savedAt` each was answered, newest last. Only the last `messages` posts of a window can delay the next
 * one, so a chat has at most that many; and every post also counts overall, so all chats together hold at
 * most the overall limit times the longest window (1,800 with Telegram's figures).
 */
export interface PacerWindows {
  savedAt: number;
  chats: Record<string, number[]>;
  overall: number[];
}

/** How long to wait at most before looking again while the slot depends on posts still on their way. */
const recheckMs = 25;

export class SendPacer {
  private readonly byChat = new Map<string, Post[]>();
  private overall: Post[] = [];
  /** Grows with every post taken or answered, so that a saver can tell whether anything changed. */
  private changes = 0;

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
      this.changes += 1;
    }
  }

  /** A number that changes whenever the windows do (a post taken or answered). */
  get version(): number {
    return this.changes;
  }

  /** The posts that still count, to be saved; chats whose posts no longer count are forgotten. */
  windows(): PacerWindows {
    const now = this.now();
    // A post still on its way counts as answered now, as in slotAfter.
    const ages = (posts: Post[], limit: PaceLimit) =>
      posts
        .map((p) => Math.max(0, Math.round(now - (p.answeredAt ?? now))))
        .sort((a, b) => b - a)
        .slice(-limit.messages);
    const chats: Record<string, number[]> = {};
    for (const [chatId, posts] of this.byChat) {
      const counting = this.trimmed(posts, this.limitOf(chatId), now);
      if (counting.length === 0) this.byChat.delete(chatId);
      else chats[chatId] = ages(counting, this.limitOf(chatId));
    }
    this.overall = this.trimmed(this.overall, this.limits.overall, now);
    return { savedAt: now, chats, overall: ages(this.overall, this.limits.overall) };
  }

  /**
   * Count the posts of saved windows (from the previous process) as answered when they were. A clock set
   * back since then counts them as answered now rather than in the future.
   */
  restore(saved: PacerWindows): void {
    const now = this.now();
    const posts = (ages: number[], limit: PaceLimit): Post[] =>
      this.trimmed(
        ages.map((age) => ({ answeredAt: Math.min(now, saved.savedAt - age) })),
        limit,
        now,
      );
    for (const [chatId, ages] of Object.entries(saved.chats)) {
      const restored = posts(ages, this.limitOf(chatId));
      if (restored.length) this.byChat.set(chatId, [...restored, ...(this.byChat.get(chatId) ?? [])]);
    }
    this.overall = [...posts(saved.overall, this.limits.overall), ...this.overall];
  }

  private limitOf(chatId: string): PaceLimit {
    // Private chats have the user's (positive) id; groups and channels negative ones.
    return /^\d+$/.test(chatId) ? this.limits.privateChat : this.limits.group;
  }

  private async take(chatId: string): Promise<Post> {
    const chatLimit = this.limitOf(chatId);
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
        this.changes += 1;
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
