/**
 * One HTTP exchange over an undici dispatcher with the whole response body in one Buffer.
 *
 * Why not `pool.request()`: it wraps every response in a Readable stream, parses every header and opens an
 * async resource, which profiling showed to be a large share of a bridge's CPU per Matrix event. Matrix
 * answers are small JSON bodies, read whole; the only header ever needed is `Retry-After`, and only on failures.
 */
import type { Dispatcher } from 'undici';

/** A response read to its end. */
export interface BufferedResponse {
  status: number;
  body: Buffer;
  /** The `Retry-After` header of an answer that is not a success, when there is one. */
  retryAfter?: string;
  /** Every header, by lower-case name, when asked for with `allHeaders`. */
  headers?: Map<string, string>;
}

/** What else to do for one exchange. */
export interface BufferedRequestOptions {
  /** Keep every response header (costs a parse per response; most callers need none). */
  allHeaders?: boolean;
  /** Aborts the exchange (a timeout); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What to send: undici's dispatch options (path, method, headers, body). */
export type BufferedRequest = Dispatcher.DispatchOptions;

/** Send one request and read the whole answer; rejects with undici's error when the exchange fails. */
export function requestBuffered(
  dispatcher: Dispatcher,
  request: BufferedRequest,
  options: BufferedRequestOptions = {},
): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason as Error);
    dispatcher.dispatch(request, new BufferingHandler(resolve, reject, options));
  });
}

class BufferingHandler implements Dispatcher.DispatchHandlers {
  private status = 0;
  private retryAfter: string | undefined;
  private headers: Map<string, string> | undefined;
  private chunks: Buffer[] = [];
  private settled = false;
  private stopWatching: (() => void) | undefined;

  constructor(
    private readonly resolve: (res: BufferedResponse) => void,
    private readonly reject: (err: Error) => void,
    private readonly options: BufferedRequestOptions,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    // A retried exchange (a pipelined request re-sent) starts over.
    this.chunks = [];
    const { signal } = this.options;
    if (!signal || this.stopWatching) return;
    const onAbort = () => abort(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    this.stopWatching = () => signal.removeEventListener('abort', onAbort);
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true; // 1xx: the real answer follows
    this.status = status;
    if (this.options.allHeaders) this.headers = headerMap(rawHeaders);
    else if (status >= 300) this.retryAfter = findHeader(rawHeaders, 'retry-after');
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching?.();
    const { chunks, headers } = this;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const retryAfter = headers ? headers.get('retry-after') : this.retryAfter;
    this.resolve({ status: this.status, body, retryAfter, ...(headers && { headers }) });
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching?.();
    this.reject(err);
  }
}

/** undici's raw `[name, value, name, value …]` list as a map by lower-case name; repeats joined by ", ". */
function headerMap(rawHeaders: Buffer[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toString('latin1').toLowerCase();
    const value = rawHeaders[i + 1]!.toString('latin1');
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return headers;
}

/** A header's value from undici's raw `[name, value, name, value …]` list. */
function findHeader(rawHeaders: Buffer[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toString('latin1').toLowerCase() === name)
      return rawHeaders[i + 1]!.toString('latin1');
  }
  return undefined;
}
