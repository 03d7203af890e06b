/**
 * A small REST router for `/api/v10/...`: matches `METHOD /pattern/:param`, checks the bot token
 * where Discord requires it, applies injected faults, and writes responses with Discord's
 * rate-limit headers and JSON error shapes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { DiscordApiError, notFound, rateLimited, unauthorized } from './errors';
import { readBody, type ParsedBody } from './multipart';
import type { RateLimits } from './rate-limits';

export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: ParsedBody;
}

/** `undefined` means 204 No Content. */
export type RestHandler = (req: RestRequest) => unknown;

interface Route {
  key: string;
  method: string;
  segments: string[];
  auth: 'bot' | 'none';
  handler: RestHandler;
}

/** A fault a test queued with `failNext`. */
export interface InjectedFault {
  status: number;
  /** For 429: seconds to wait (body `retry_after`; the `Retry-After` header is rounded up like Discord's). */
  retryAfter?: number;
  /** For 429: a global rate limit rather than a per-route one. */
  global?: boolean;
}

export class RestRouter {
  private readonly routes: Route[] = [];
  private readonly faults = new Map<string, InjectedFault[]>();
  /** Requests served, by route key, for tests that count calls. */
  readonly calls = new Map<string, number>();
  /** Discord's rate limits, when a test switched them on. */
  rateLimits: RateLimits | undefined;

  constructor(private readonly isBotToken: (token: string) => boolean) {}

  /** Register a route, e.g. `add('POST', '/channels/:channel_id/messages', handler)`. */
  add(method: string, pattern: string, handler: RestHandler, auth: 'bot' | 'none' = 'bot'): void {
    this.routes.push({
      key: `${method} ${pattern}`,
      method,
      segments: pattern.split('/').filter(Boolean),
      auth,
      handler,
    });
  }

  /** Make the next request to `routeKey` (`'POST /channels/:channel_id/messages'`) fail with `fault`. */
  failNext(routeKey: string, fault: InjectedFault): void {
    if (!this.routes.some((r) => r.key === routeKey))
      throw new Error(`No simulated Discord route ${routeKey}`);
    const queue = this.faults.get(routeKey) ?? [];
    queue.push(fault);
    this.faults.set(routeKey, queue);
  }

  /** Forget the faults still queued for `routeKey`: its next requests succeed. */
  clearFaults(routeKey: string): void {
    this.faults.delete(routeKey);
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const match = this.match(req.method ?? 'GET', path);
    try {
      if (!match) throw notFound();
      const { route, params } = match;
      setRateLimitHeaders(res, route.key);
      this.calls.set(route.key, (this.calls.get(route.key) ?? 0) + 1);
      if (route.auth === 'bot' && !this.authorized(req)) throw unauthorized();
      const body = await readBody(req);
      this.throwInjectedFault(route.key, res);
      this.applyRateLimits(route, params, res);
      const result = await route.handler({ params, query, body });
      if (result === undefined) {
        res.writeHead(204).end();
        return;
      }
      sendJson(res, 200, result);
    } catch (err) {
      if (err instanceof DiscordApiError) {
        for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
        sendJson(res, err.status, err.body());
        return;
      }
      sendJson(res, 500, { message: '500: Internal Server Error', code: 0, detail: String(err) });
    }
  }

  private throwInjectedFault(key: string, res: ServerResponse): void {
    const fault = this.faults.get(key)?.shift();
    if (!fault) return;
    if (fault.status === 429) this.throwRateLimited(res, fault.retryAfter ?? 1, fault.global ?? false);
    throw new DiscordApiError(fault.status, 0, `${fault.status}: injected by the simulator`);
  }

  private applyRateLimits(route: Route, params: Record<string, string>, res: ServerResponse): void {
    const webhookId = route.method === 'POST' && route.auth === 'none' ? params.webhook_id : undefined;
    const verdict = this.rateLimits?.take({ bot: route.auth === 'bot', ...(webhookId ? { webhookId } : {}) });
    if (!verdict) return;
    if (verdict.bucket) {
      const { id, limit, remaining, resetAfterMs } = verdict.bucket;
      res.setHeader('X-RateLimit-Limit', String(limit));
      res.setHeader('X-RateLimit-Remaining', String(remaining));
      res.setHeader('X-RateLimit-Reset', String((Date.now() + resetAfterMs) / 1000));
      res.setHeader('X-RateLimit-Reset-After', String(resetAfterMs / 1000));
      res.setHeader('X-RateLimit-Bucket', id);
    }
    if (verdict.refused) {
      const { retryAfterMs, global } = verdict.refused;
      this.throwRateLimited(res, retryAfterMs / 1000, global);
    }
  }

  private throwRateLimited(res: ServerResponse, retryAfter: number, global: boolean): never {
    res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset-After', String(retryAfter));
    res.setHeader('X-RateLimit-Scope', global ? 'global' : 'user');
    if (global) res.setHeader('X-RateLimit-Global', 'true');
    throw rateLimited(retryAfter, global);
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const token = /^Bot\s+(.+)$/i.exec(header)?.[1];
    return token !== undefined && this.isBotToken(token);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = parts[i]!;
          return true;
        }
        return segment === parts[i];
      });
      if (ok) return { route, params };
    }
    return undefined;
  }
}

/** Discord sends these on every response; discord.js sizes its per-route queues from them. */
function setRateLimitHeaders(res: ServerResponse, key: string): void {
  res.setHeader('X-RateLimit-Limit', '50');
  res.setHeader('X-RateLimit-Remaining', '49');
  res.setHeader('X-RateLimit-Reset', String(Date.now() / 1000 + 1));
  res.setHeader('X-RateLimit-Reset-After', '1');
  res.setHeader('X-RateLimit-Bucket', createHash('sha1').update(key).digest('hex').slice(0, 16));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
