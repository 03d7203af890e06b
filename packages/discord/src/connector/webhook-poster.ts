/**
 * Executes the bridge's webhooks — every Matrix message that becomes a Discord message — with one pooled
 * JSON POST each, beside @discordjs/rest rather than through it.
 *
 * Why: in the Discord bench, @discordjs/rest's per-request machinery (route hashing, its handler queue,
 * header and body building, an AbortSignal timer per request, its events) cost about as much CPU as the
 * HTTP exchange itself, for the one call the bridge makes per Matrix message. Everything else (reads,
 * edits, deletes, reactions, uploads) still goes through discord.js.
 *
 * What it keeps of @discordjs/rest's behaviour, on the webhook route only: Discord's bucket headers are
 * obeyed (a webhook with no requests left waits for its reset), a 429 is waited out and retried when the
 * wait is short and otherwise raised as discord.js's {@link RateLimitError} (the core's retry policy takes
 * it from there), a global 429 pauses every webhook, and refusals are discord.js's {@link DiscordAPIError}
 * with Discord's code and message, so callers handle both transports' errors alike.
 */
import {
  DefaultUserAgent,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type RESTPostAPIWebhookWithTokenJSONBody,
  type RESTPostAPIWebhookWithTokenWaitResult,
} from 'discord.js';
import { STATUS_CODES } from 'node:http';
import type { HttpResponse, JsonHttpClient, PreparedHeaders } from '@trestle/core';

/** A webhook the bridge may execute: its id and secret token. */
export interface ExecutableWebhook {
  id: string;
  token: string;
}

/** Options of a {@link WebhookPoster}. */
export interface WebhookPosterOptions {
  /** Path of the versioned API on the client's origin, e.g. `/api/v10`. */
  apiPath: string;
  /** Rate-limit waits up to this long are absorbed; longer ones are raised (discord.js: `rejectOnRateLimit`). */
  maxWaitMs: number;
  /**
   * Requests per second for all webhooks together: Discord counts requests without authorization against
   * the global limit of the IP address they come from (50/s, like a bot's).
   */
  globalPerSecond: number;
  /** Tries of one message while Discord keeps answering 429 with short waits. */
  maxAttempts?: number;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

/**
 * The global budget's window, a little longer than Discord's second: requests reach Discord later than
 * they leave, unevenly, and a window counted at the sender must still hold at the receiver.
 */
const GLOBAL_WINDOW_MS = 1100;

/** The answer's headers the poster reads. */
const RATE_LIMIT_HEADERS: ReadonlySet<string> = new Set([
  'x-ratelimit-remaining',
  'x-ratelimit-reset-after',
  'x-ratelimit-global',
  'x-ratelimit-scope',
  'retry-after',
]);

export class WebhookPoster {
  /** Per webhook id: what Discord's last answer said of its bucket. */
  private readonly buckets = new Map<string, Bucket>();
  /** Until when a global 429 stops every webhook. */
  private globalResetAt = 0;
  /**
   * The client-side global budget as a sliding window: when each of the last `globalPerSecond` requests
   * went out (a ring). No second, however Discord aligns its windows, sees more than the budget.
   */
  private readonly sentAt: number[];
  private oldestSent = 0;
  private readonly headers: PreparedHeaders;

  constructor(
    private readonly http: JsonHttpClient,
    private readonly options: WebhookPosterOptions,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.sentAt = new Array<number>(options.globalPerSecond).fill(0);
    this.headers = http.prepareHeaders({
      'content-type': 'application/json',
      'user-agent': DefaultUserAgent,
    });
  }

  /** Post a message through `webhook` (into `threadId` when given) and return Discord's message. */
  async execute(
    webhook: ExecutableWebhook,
    threadId: string | undefined,
    body: RESTPostAPIWebhookWithTokenJSONBody,
  ): Promise<RESTPostAPIWebhookWithTokenWaitResult> {
    const route = `/webhooks/${webhook.id}/${webhook.token}`;
    const path = `${this.options.apiPath}${route}?wait=true${threadId ? `&thread_id=${threadId}` : ''}`;
    const json = JSON.stringify(body);
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      await this.waitForBudget(webhook.id, path);
      const res = await this.http.request({
        method: 'POST',
        path,
        headers: this.headers,
        body: json,
        responseHeaders: RATE_LIMIT_HEADERS,
      });
      this.noteBucket(webhook.id, res.headers);
      if (res.status >= 200 && res.status < 300)
        return JSON.parse(res.body.toString('utf8')) as RESTPostAPIWebhookWithTokenWaitResult;
      if (res.status !== 429) throw refusal(res, path, body);
      const limit = this.rateLimited(webhook.id, res, path);
      if (limit.retryAfter > this.options.maxWaitMs || attempt >= maxAttempts)
        throw new RateLimitError(limit);
      await this.sleep(limit.retryAfter);
    }
  }

  /**
   * Wait while this webhook's bucket, the global budget or a global 429 leaves nothing; raise a wait that
   * is long. Then spend one of each.
   */
  private async waitForBudget(webhookId: string, url: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const bucket = this.buckets.get(webhookId);
      const bucketWait = bucket && bucket.remaining <= 0 ? bucket.resetAt - now : 0;
      const globalWait = Math.max(this.globalResetAt, this.sentAt[this.oldestSent]! + GLOBAL_WINDOW_MS) - now;
      const wait = Math.max(bucketWait, globalWait);
      if (wait <= 0) {
        if (bucket) bucket.remaining--;
        this.sentAt[this.oldestSent] = now;
        this.oldestSent = (this.oldestSent + 1) % this.sentAt.length;
        return;
      }
      if (wait > this.options.maxWaitMs)
        throw new RateLimitError(limitData(url, wait, globalWait >= bucketWait, webhookId));
      await this.sleep(wait);
    }
  }

  private noteBucket(webhookId: string, headers: Map<string, string>): void {
    const remaining = headers.get('x-ratelimit-remaining');
    const resetAfter = headers.get('x-ratelimit-reset-after');
    if (remaining === undefined || resetAfter === undefined) return;
    this.buckets.set(webhookId, {
      remaining: Number(remaining),
      resetAt: Date.now() + Number(resetAfter) * 1000,
    });
  }

  private rateLimited(webhookId: string, res: HttpResponse, url: string) {
    const answer = parse(res.body) as { retry_after?: number; global?: boolean } | undefined;
    const seconds = answer?.retry_after ?? Number(res.headers.get('retry-after') ?? 1);
    const retryAfter = Math.ceil(seconds * 1000);
    const global = answer?.global === true || res.headers.get('x-ratelimit-global') === 'true';
    if (global) this.globalResetAt = Date.now() + retryAfter;
    return limitData(url, retryAfter, global, webhookId, res.headers.get('x-ratelimit-scope'));
  }
}

function limitData(
  url: string,
  retryAfter: number,
  global: boolean,
  webhookId: string,
  scope?: string,
): ConstructorParameters<typeof RateLimitError>[0] {
  return {
    timeToReset: retryAfter,
    retryAfter,
    limit: Infinity,
    method: 'POST',
    hash: `webhook:${webhookId}`,
    url,
    route: '/webhooks/:id/:token',
    majorParameter: webhookId,
    global,
    sublimitTimeout: 0,
    scope: scope === 'global' || scope === 'shared' ? scope : 'user',
  };
}

/** A non-429 failure as discord.js raises it: DiscordAPIError when Discord explained, else HTTPError. */
function refusal(res: HttpResponse, url: string, body: RESTPostAPIWebhookWithTokenJSONBody): Error {
  const answer = parse(res.body) as { code?: number; message?: string } | undefined;
  const data = { body, files: undefined };
  if (answer && typeof answer.message === 'string')
    return new DiscordAPIError(answer as never, answer.code ?? res.status, res.status, 'POST', url, data);
  return new HTTPError(res.status, STATUS_CODES[res.status] ?? '', 'POST', url, data);
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
