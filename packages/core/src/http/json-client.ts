import { headerLines, Http1Pool } from './http1-pool';

/** What {@link JsonHttpClient.postJson} got back: the status and the body, parsed when it is JSON. */
export interface JsonResponse<T> {
  status: number;
  /** The parsed body; undefined when the body was empty or not JSON. */
  json: T | undefined;
}

/**
 * Request headers checked and formatted once ({@link JsonHttpClient.prepareHeaders}), for a caller that
 * sends the same ones with every request.
 */
export class PreparedHeaders {
  /** Made by {@link JsonHttpClient.prepareHeaders}. */
  constructor(readonly lines: string) {}
}

/** One request of {@link JsonHttpClient.request}. */
export interface HttpRequest {
  method: string;
  /** Path and query under the base URL. */
  path: string;
  /** Added to the client's own headers. */
  headers?: Record<string, string> | PreparedHeaders;
  /** Response headers to keep, by lower-case name (default: every one). */
  responseHeaders?: ReadonlySet<string>;
  body?: string | Uint8Array;
  /** Aborts the request (a timeout); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The whole answer of {@link JsonHttpClient.request}: status, the headers kept by lower-case name, the body. */
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
 * runs on the core's {@link Http1Pool} (the Matrix client's, see there why not undici) and reads each answer
 * into one buffer. Keep the SDK for everything else (types, methods, uploads); route only plain calls here.
 *
 * Network failures reject with the socket's error (its `code` says what happened, e.g. `ECONNREFUSED`) or
 * an {@link Http1Error} (the connection closed, the answer was malformed or did not come in time).
 */
export class JsonHttpClient {
  private readonly pool: Http1Pool;
  private readonly basePath: string;
  private readonly baseHeaders: Record<string, string>;
  private readonly postHeaders: string;

  /** @param baseUrl the API's base URL; request paths are appended to its path. */
  constructor(baseUrl: string, options: JsonHttpClientOptions = {}) {
    const base = new URL(baseUrl);
    this.basePath = base.pathname.replace(/\/$/, '');
    this.pool = new Http1Pool(base.origin, { connections: options.connections ?? 64, keepAliveMs: 30_000 });
    this.baseHeaders = options.headers ?? {};
    this.postHeaders = headerLines({ ...this.baseHeaders, 'content-type': 'application/json' });
  }

  /** POST `body` (already JSON text, so callers choose how to serialise) to `path` under the base URL. */
  async postJson<T>(path: string, body: string): Promise<JsonResponse<T>> {
    const res = await this.pool.request({
      path: this.basePath + path,
      method: 'POST',
      headers: this.postHeaders,
      body,
    });
    return { status: res.status, json: parseJson<T>(res.body) };
  }

  /** The client's headers and `headers`, checked and formatted once for many requests. */
  prepareHeaders(headers: Record<string, string>): PreparedHeaders {
    return new PreparedHeaders(headerLines({ ...this.baseHeaders, ...headers }));
  }

  /**
   * Any request, with the response headers kept: for an SDK's pluggable transport (discord.js's REST
   * `makeRequest`), which reads rate-limit headers itself.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const { body, signal, headers } = request;
    const res = await this.pool.request({
      path: this.basePath + request.path,
      method: request.method,
      headers:
        headers instanceof PreparedHeaders ? headers.lines : headerLines({ ...this.baseHeaders, ...headers }),
      body:
        body instanceof Uint8Array && !Buffer.isBuffer(body)
          ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
          : body,
      responseHeaders: request.responseHeaders ?? 'all',
      ...(signal && { signal }),
    });
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
