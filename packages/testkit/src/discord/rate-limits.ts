/**
 * Discord's rate limits, for benchmarks and tests that must see the bridge queue for them: a global
 * budget per bot token, the same global budget for requests without authorization (Discord applies it
 * to the IP address; the simulator has one client, so one budget), and a per-webhook budget for
 * executing webhooks. Off unless switched on with
 * `DiscordSimulator.enforceRateLimits()`. Fixed windows, like Discord's buckets as clients see them.
 */

export interface RateLimitPolicy {
  /** Requests per second a bot token, or an IP address without one, may make (Discord: 50). */
  globalPerSecond: number;
  /** Webhook executions per window, per webhook (Discord: about 5 per 2 s). */
  webhookLimit: number;
  webhookWindowMs: number;
}

export const DISCORD_RATE_LIMITS: RateLimitPolicy = {
  globalPerSecond: 50,
  webhookLimit: 5,
  webhookWindowMs: 2000,
};

/** What a request got: headers to report its bucket, and whether it must be refused with 429. */
export interface RateLimitVerdict {
  bucket?: { id: string; limit: number; remaining: number; resetAfterMs: number };
  /** Set when the request is over a budget: seconds to wait, and whether the global one. */
  refused?: { retryAfterMs: number; global: boolean };
}

interface Window {
  startedAt: number;
  used: number;
}

export class RateLimits {
  private readonly windows = new Map<string, Window>();
  /** 429 answers given so far. */
  refusals = 0;

  constructor(private readonly policy: RateLimitPolicy) {}

  /** Count one request: bot-authenticated or not (each its global budget), and maybe executing `webhookId`. */
  take(request: { bot: boolean; webhookId?: string }, now = Date.now()): RateLimitVerdict {
    const budget = request.bot ? 'global:bot' : 'global:address';
    const global = this.use(budget, this.policy.globalPerSecond, 1000, now);
    if (global.remaining < 0) return this.refuse(global.resetAfterMs, true);
    if (!request.webhookId) return {};
    const { webhookLimit, webhookWindowMs } = this.policy;
    const hook = this.use(`webhook:${request.webhookId}`, webhookLimit, webhookWindowMs, now);
    const bucket = {
      id: `webhook-${request.webhookId}`,
      limit: webhookLimit,
      remaining: Math.max(0, hook.remaining),
      resetAfterMs: hook.resetAfterMs,
    };
    return hook.remaining < 0 ? { bucket, ...this.refuse(hook.resetAfterMs, false) } : { bucket };
  }

  private use(key: string, limit: number, windowMs: number, now: number) {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    window.used++;
    return { remaining: limit - window.used, resetAfterMs: window.startedAt + windowMs - now };
  }

  private refuse(retryAfterMs: number, global: boolean): RateLimitVerdict {
    this.refusals++;
    return { refused: { retryAfterMs, global } };
  }
}
