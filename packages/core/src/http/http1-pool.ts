/**
 * A keep-alive HTTP/1.1 client for one origin, built for the Matrix client's traffic: many small
 * exchanges at once (one per bridged event), each read whole before it is used.
 *
 * Why not undici here: measured against the null homeserver, an event sent through undici's `Pool`
 * (answers read into one buffer by its dispatch API) cost ~95 µs of the bridge's CPU, a bare socket
 * ~60 µs; the kernel's share is the same for both (one write and one read per exchange). undici's generality (streams,
 * interceptors, a timer and header validation per request, a callback per response header) is what
 * the difference pays for, and the Matrix client needs none of it. What it does need is here: a pool
 * of up to `connections` sockets reused while idle, `Content-Length`, chunked and close-delimited
 * bodies, `Connection: close`, one retry of an idempotent request whose reused socket turned out to
 * be closed by the server, an inactivity timeout, TLS for `https:` origins, and, for network APIs that
 * read rate-limit headers (`JsonHttpClient`), every response header and abort signals.
 */
import net from 'node:net';
import tls from 'node:tls';

/** An answer read to its end. */
export interface BufferedResponse {
  status: number;
  body: Buffer;
  /** The `Retry-After` header of an answer that is not a success, when there is one. */
  retryAfter?: string;
  /** Headers by lower-case name (repeats joined by ", "), when the request asked for `responseHeaders`. */
  headers?: Map<string, string>;
}

/** How the pool behaves; the defaults suit a homeserver. */
export interface Http1PoolOptions {
  /** Sockets open at most; further requests wait for one (default 128). */
  connections?: number;
  /** An idle socket is closed after this long (default 30 s). */
  keepAliveMs?: number;
  /** A request whose socket stays silent this long fails (default 300 s, as undici's). */
  timeoutMs?: number;
}

/** One request: `headers` are complete `name: value\r\n` lines (see {@link headerLines}; host and content-length are added). */
export interface Http1Request {
  method: string;
  path: string;
  headers: string;
  body?: string | Buffer;
  /**
   * Response headers to keep in {@link BufferedResponse.headers}: `'all'`, or only those named in the set
   * (lower-case; fewer strings made per answer). Most callers need none.
   */
  responseHeaders?: 'all' | ReadonlySet<string>;
  /**
   * Aborts the exchange (a caller's timeout): it rejects with the signal's reason, and a socket that was
   * carrying it is closed, since its answer may still arrive.
   */
  signal?: AbortSignal;
}

/**
 * Headers as the `name: value\r\n` lines of {@link Http1Request.headers}. Throws on a value with control
 * characters: a CR or LF there would end the header early and let the value write protocol.
 */
export function headerLines(headers: Record<string, string>): string {
  let lines = '';
  for (const name in headers) {
    const value = headers[name]!;
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) throw new Error(`invalid ${name} header value`);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new Error(`invalid header name ${JSON.stringify(name)}`);
    lines += `${name}: ${value}\r\n`;
  }
  return lines;
}

/** The exchange failed: the socket closed, the answer was malformed, or it did not come in time. */
export class Http1Error extends Error {
  constructor(
    message: string,
    /** Nothing of the answer had arrived: for an idempotent request on a reused socket, worth one retry. */
    readonly beforeAnswer: boolean,
  ) {
    super(message);
    this.name = 'Http1Error';
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const SWEEP_MS = 1000;
/** As undici's: a homeserver that does not accept the connection by then is taken as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

interface Exchange {
  request: Http1Request;
  resolve: (res: BufferedResponse) => void;
  reject: (err: Error) => void;
  /** Sent once already on a socket that then closed without answering. */
  retried: boolean;
  /** The connection carrying it, while one does (an abort must close it). */
  carrier?: Connection;
}

/** A pool of keep-alive HTTP/1.1 connections to one origin. */
export class Http1Pool {
  private readonly host: string;
  private readonly port: number;
  private readonly secure: boolean;
  private readonly hostHeader: string;
  private readonly maxConnections: number;
  private readonly keepAliveMs: number;
  private readonly timeoutMs: number;
  private readonly connections = new Set<Connection>();
  /** Idle connections, the most recently used last (reused first, so the others can expire). */
  private readonly idle: Connection[] = [];
  private readonly waiting: Exchange[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(origin: string, options: Http1PoolOptions = {}) {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`not an http(s) origin: ${origin}`);
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port ? Number(url.port) : this.secure ? 443 : 80;
    this.hostHeader = url.host;
    this.maxConnections = options.connections ?? 128;
    this.keepAliveMs = options.keepAliveMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 300_000;
  }

  /** Send one request and read the whole answer; rejects with {@link Http1Error} or a socket error. */
  request(request: Http1Request): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Http1Error('the HTTP pool is closed', true));
      const { signal } = request;
      if (!signal) return this.dispatch({ request, resolve, reject, retried: false });
      if (signal.aborted) return reject(signal.reason as Error);
      const exchange: Exchange = {
        request,
        resolve: (res) => (signal.removeEventListener('abort', onAbort), resolve(res)),
        reject: (err) => (signal.removeEventListener('abort', onAbort), reject(err)),
        retried: false,
      };
      const onAbort = () => this.abort(exchange, signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      this.dispatch(exchange);
    });
  }

  /** Stop taking requests, let those under way finish, then close every socket. */
  close(): Promise<void> {
    this.closed = true;
    for (const exchange of this.waiting.splice(0))
      exchange.reject(new Http1Error('the HTTP pool is closed', true));
    for (const connection of this.idle.splice(0)) connection.destroy();
    if (this.connections.size === 0) return Promise.resolve(this.stopSweeping());
    return new Promise((resolve) => (this.drained = resolve));
  }

  /** Give up on an exchange: out of the queue, or off its socket (closing it: its answer may still come). */
  private abort(exchange: Exchange, reason: Error): void {
    const at = this.waiting.indexOf(exchange);
    if (at >= 0) this.waiting.splice(at, 1);
    exchange.reject(reason);
    exchange.carrier?.abandon(exchange);
  }

  private dispatch(exchange: Exchange): void {
    const connection = this.idle.pop();
    if (connection) connection.send(exchange, true);
    else if (this.connections.size < this.maxConnections) this.open().send(exchange, false);
    else this.waiting.push(exchange);
  }

  private open(): Connection {
    const { host, port } = this;
    const socket = this.secure
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }) })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    const connection = new Connection(this, socket, this.hostHeader);
    this.connections.add(connection);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    return connection;
  }

  /** A connection finished an exchange and may take another. */
  released(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) return connection.send(next, true);
    if (this.closed) return connection.destroy();
    this.idle.push(connection);
  }

  /** A connection is gone; `failed` is the exchange it was carrying, if any. */
  removed(
    connection: Connection,
    failed?: { exchange: Exchange; error: Error; beforeAnswer: boolean },
  ): void {
    this.connections.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    if (failed) {
      const { exchange, error, beforeAnswer } = failed;
      const retry =
        beforeAnswer &&
        connection.reused &&
        !exchange.retried &&
        IDEMPOTENT.has(exchange.request.method) &&
        !this.closed;
      exchange.carrier = undefined;
      if (retry) {
        exchange.retried = true;
        this.dispatch(exchange);
      } else exchange.reject(error);
    }
    // A request waiting for a free socket gets a new one in place of the lost one.
    const next = this.waiting.shift();
    if (next) this.dispatch(next);
    if (this.connections.size === 0) {
      this.stopSweeping();
      this.drained?.();
    }
  }

  /** Close sockets idle too long; fail requests whose socket went silent too long. */
  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections) {
      const silent = now - connection.lastActivity;
      if (!connection.connected && silent >= CONNECT_TIMEOUT_MS)
        connection.timeOut(`could not connect within ${CONNECT_TIMEOUT_MS / 1000} s`);
      else if (connection.busy ? silent >= this.timeoutMs : silent >= this.keepAliveMs)
        connection.timeOut(`no answer within ${this.timeoutMs / 1000} s`);
    }
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

/** What the parser expects next from the socket. */
type Reading = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close';

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;
/** Lengths of the header names read ({@link Connection.readHead}); the others are skipped unread. */
const FRAMING_NAME_LENGTHS: Record<number, true> = { 10: true, 11: true, 14: true, 17: true };
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** A response head larger than this is refused (undici's default limit is 16 KiB as well). */
const MAX_HEAD = 16 * 1024;

/** One socket and the exchange it carries; parses the answer as it arrives. */
class Connection {
  busy = false;
  connected = false;
  /** It has carried an exchange before (so the server may have closed it meanwhile). */
  reused = false;
  lastActivity = Date.now();
  private exchange: Exchange | undefined;
  private pending: Buffer | undefined;
  private state: Reading = 'head';
  private status = 0;
  private retryAfter: string | undefined;
  private headers: Map<string, string> | undefined;
  private keepAlive = true;
  private remaining = 0;
  private chunks: Buffer[] = [];
  private gotBytes = false;
  private gone = false;

  constructor(
    private readonly pool: Http1Pool,
    private readonly socket: net.Socket,
    private readonly hostHeader: string,
  ) {
    socket.once('connect', () => (this.connected = true));
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('end', () => this.onEnd());
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Http1Error('the connection closed', !this.gotBytes)));
  }

  send(exchange: Exchange, reused: boolean): void {
    this.exchange = exchange;
    exchange.carrier = this;
    this.busy = true;
    this.reused = reused;
    this.lastActivity = Date.now();
    this.state = 'head';
    this.status = 0;
    this.retryAfter = undefined;
    this.headers = undefined;
    this.keepAlive = true;
    this.chunks = [];
    this.gotBytes = false;
    const { method, path, headers, body } = exchange.request;
    const head = `${method} ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n${headers}`;
    if (body === undefined) {
      this.socket.write(`${head}\r\n`, 'latin1');
    } else if (typeof body === 'string') {
      // One write for the whole request: most bodies are a few hundred bytes of JSON.
      this.socket.write(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    } else {
      this.socket.cork();
      this.socket.write(`${head}content-length: ${body.length}\r\n\r\n`, 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    }
  }

  timeOut(why: string): void {
    if (this.busy) this.fail(new Http1Error(why, !this.gotBytes));
    else this.destroy();
  }

  destroy(): void {
    this.fail(new Http1Error('the connection was closed', true));
  }

  /** The caller gave up on `exchange` (already rejected): close the socket if it still carries it. */
  abandon(exchange: Exchange): void {
    if (this.exchange !== exchange) return;
    this.exchange = undefined;
    this.destroy();
  }

  private onData(data: Buffer): void {
    if (!this.busy) {
      // Nothing is owed on an idle connection (a server's "408 Request Timeout" before it closes).
      this.destroy();
      return;
    }
    this.lastActivity = Date.now();
    this.gotBytes = true;
    const buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = undefined;
    let at = 0;
    while (this.busy && at < buf.length) {
      const used = this.parse(buf, at);
      if (used < 0) {
        // Need more bytes: keep the rest for the next read.
        this.pending = buf.subarray(at);
        if (this.state === 'head' && this.pending.length > MAX_HEAD)
          this.fail(new Http1Error('the response head is too large', false));
        return;
      }
      at = used;
    }
    if (this.gone || this.busy) return;
    // The answer is complete. Bytes beyond it, or a request not yet fully sent (the server answered
    // early, e.g. refusing an upload), leave the connection out of step: it is not reused.
    if (this.keepAlive && at === buf.length && this.socket.writableLength === 0) this.pool.released(this);
    else this.destroy();
  }

  /** Consume what it can from `buf` at `at`; the new offset, or -1 when more bytes are needed. */
  private parse(buf: Buffer, at: number): number {
    switch (this.state) {
      case 'head': {
        const end = buf.indexOf(HEAD_END, at);
        if (end < 0) return -1;
        this.readHead(buf.toString('latin1', at, end));
        return end + 4;
      }
      case 'length': {
        const take = Math.min(this.remaining, buf.length - at);
        this.chunks.push(buf.subarray(at, at + take));
        this.remaining -= take;
        if (this.remaining === 0) this.complete();
        return at + take;
      }
      case 'chunk-size': {
        const end = buf.indexOf(CRLF, at);
        if (end < 0) return -1;
        const size = Number.parseInt(buf.toString('latin1', at, end), 16);
        if (!Number.isFinite(size) || size < 0) {
          this.fail(new Http1Error('invalid chunk size in the response', false));
          return buf.length;
        }
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'chunk-data';
        return end + 2;
      }
      case 'chunk-data': {
        const take = Math.min(this.remaining, buf.length - at);
        this.chunks.push(buf.subarray(at, at + take));
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'chunk-end';
        return at + take;
      }
      case 'chunk-end': {
        if (buf.length - at < 2) return -1;
        this.state = 'chunk-size';
        return at + 2;
      }
      case 'trailers': {
        // Trailer lines (rare, ignored) up to an empty line.
        const end = buf.indexOf(CRLF, at);
        if (end < 0) return -1;
        if (end === at) this.complete();
        return end + 2;
      }
      case 'until-close':
        this.chunks.push(at === 0 ? buf : buf.subarray(at));
        return buf.length;
    }
  }

  private readHead(head: string): void {
    const lineEnd = head.indexOf('\r\n');
    const statusLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
    const parsed = STATUS_LINE.exec(statusLine);
    if (!parsed) {
      this.fail(new Http1Error(`not an HTTP/1 response: ${JSON.stringify(statusLine.slice(0, 40))}`, false));
      return;
    }
    const status = Number(parsed[2]);
    if (status < 200) return; // 1xx: the real answer follows, in another head
    let length: number | undefined;
    let chunked = false;
    let connection: string | undefined;
    let retryAfter: string | undefined;
    const keep = this.exchange!.request.responseHeaders;
    const all = keep ? new Map<string, string>() : undefined;
    let from = lineEnd + 2;
    while (lineEnd >= 0 && from < head.length) {
      let to = head.indexOf('\r\n', from);
      if (to < 0) to = head.length;
      const colon = head.indexOf(':', from);
      if (colon > from && colon < to) {
        const nameLength = colon - from;
        // Only the headers that frame the body, and Retry-After; other names are not even lower-cased.
        const name = all || nameLength in FRAMING_NAME_LENGTHS ? head.slice(from, colon).toLowerCase() : '';
        if (all && (keep === 'all' || keep!.has(name))) {
          const earlier = all.get(name);
          const text = value(head, colon, to);
          all.set(name, earlier === undefined ? text : `${earlier}, ${text}`);
        }
        if (name === 'content-length') length = Number(value(head, colon, to));
        else if (name === 'transfer-encoding')
          chunked = /(?:^|,)\s*chunked\s*$/i.test(value(head, colon, to));
        else if (name === 'connection') connection = value(head, colon, to);
        else if (name === 'retry-after') retryAfter = value(head, colon, to);
      }
      from = to + 2;
    }
    this.status = status;
    this.retryAfter = status >= 300 ? retryAfter : undefined;
    this.headers = all;
    this.keepAlive = reusable(parsed[1] === '0', connection);
    const method = this.exchange!.request.method;
    if (method === 'HEAD' || status === 204 || status === 304) return this.complete();
    if (chunked) {
      this.state = 'chunk-size';
    } else if (length !== undefined) {
      if (!Number.isSafeInteger(length) || length < 0) {
        this.fail(new Http1Error('invalid content-length in the response', false));
        return;
      }
      this.remaining = length;
      this.state = 'length';
      if (length === 0) this.complete();
    } else {
      // Read until the server closes: the connection ends with the answer.
      this.state = 'until-close';
    }
  }

  /** The answer is whole: hand it over (the caller then releases or closes the socket). */
  private complete(): void {
    const exchange = this.exchange!;
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.exchange = undefined;
    this.busy = false;
    this.chunks = [];
    this.lastActivity = Date.now();
    const { headers } = this;
    exchange.carrier = undefined;
    exchange.resolve(
      headers
        ? { status: this.status, body, retryAfter: this.retryAfter, headers }
        : { status: this.status, body, retryAfter: this.retryAfter },
    );
  }

  private onEnd(): void {
    // A close-delimited body ends with the connection.
    if (this.busy && this.state === 'until-close') {
      this.complete();
      this.destroy();
      return;
    }
    this.fail(new Http1Error('the server closed the connection', !this.gotBytes));
  }

  private fail(error: Error): void {
    if (this.gone) return;
    this.gone = true;
    const exchange = this.exchange;
    this.exchange = undefined;
    this.busy = false;
    this.socket.destroy();
    const beforeAnswer = error instanceof Http1Error ? error.beforeAnswer : !this.gotBytes;
    const failed = exchange && { exchange, error, beforeAnswer };
    this.pool.removed(this, failed);
  }
}

/** Whether the connection may carry another request after an answer with this `Connection` header. */
function reusable(http10: boolean, connection: string | undefined): boolean {
  if (connection === undefined) return !http10;
  const tokens = connection.toLowerCase();
  if (tokens === 'keep-alive') return true;
  if (tokens === 'close') return false;
  if (/(?:^|,)\s*close\s*(?:,|$)/.test(tokens)) return false;
  return !http10 || /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(tokens);
}

/** A header's value: after the colon, without surrounding spaces. */
function value(head: string, colon: number, end: number): string {
  return head.slice(colon + 1, end).trim();
}
