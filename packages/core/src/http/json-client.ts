import { Pool } from 'undici';
import { requestBuffered, type BufferedResponse } from './buffered-request';

/** What {@link JsonHttpClient.postJson} got back: the status and the body, parsed when it is JSON. */
export interface JsonResponse<T> {
  status: number;
  /** The parsed body; undefined when the body was empty or not JSON. */
  json: T | undefined;
}

/** One request of {@link JsonHttpClient.request}. */
export interface HttpRequest {
  method: string;
  /** Path and query under the base URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborts the request (a timeout); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The whole answer of {@link JsonHttpClient.request}: status, every header by lower-case name, the body. */
export interface HttpResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/** Options of a {@link JsonHttpClient}. */
export interface JsonHttpClientOptions {
  /** Keep-alive connections to the origin at most (default 64): one per chat sending at once is plenty. */
  connections?: number;
  /** Headers sent with every request (e.g. authorization). */
  headers?: Record<string, string>;
}

/**
 * A keep-alive HTTP/1.1 client for one network API origin, for connectors whose hot path is one small JSON
 * POST per bridged message (a chat API's "send message").
 *
 * Why a bridge would use it rather than its SDK's transport: measured in the Telegram bench, telegraf's
 * node-fetch + `node:http` transport took about a third of the bridge's CPU per Matrix message; this client
 * dispatches straight on an undici pool and reads the answer into one buffer, like the core's own Matrix
 * client. Keep the SDK for everything else (types, methods, uploads); route only plain JSON calls here.
 *
 * Network failures reject with undici's error (its `code` says what happened, e.g. `ECONNREFUSED`).
 */
export class JsonHttpClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly baseHeaders: Record<string, string>;
  private readonly headers: Record<string, string>;

  /** @param baseUrl the API's base URL; request paths are appended to its path. */
  constructor(baseUrl: string, options: JsonHttpClientOptions = {}) {
    const base = new URL(baseUrl);
    this.basePath = base.pathname.replace(/\/$/, '');
    this.pool = new Pool(base.origin, { connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
    this.baseHeaders = options.headers ?? {};
    this.headers = { ...this.baseHeaders, 'content-type': 'application/json' };
  }

  /** POST `body` (already JSON text, so callers choose how to serialise) to `path` under the base URL. */
  async postJson<T>(path: string, body: string): Promise<JsonResponse<T>> {
    const res = await requestBuffered(this.pool, {
      path: this.basePath + path,
      method: 'POST',
      headers: this.headers,
      body,
    });
    return { status: res.status, json: parseJson<T>(res.body) };
  }

  /**
   * Any request, with every response header kept: for an SDK's pluggable transport (discord.js's REST
   * `makeRequest`), which reads rate-limit headers itself.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const res: BufferedResponse = await requestBuffered(
      this.pool,
      {
        path: this.basePath + request.path,
        method: request.method as 'GET',
        headers: { ...this.baseHeaders, ...request.headers },
        body: request.body,
      },
      { allHeaders: true, signal: request.signal },
    );
    return { status: res.status, headers: res.headers!, body: res.body };
  }

  /** Close the connections; pending requests finish first. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

function parseJson<T>(body: Buffer): T | undefined {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
