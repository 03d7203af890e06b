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
}

/** What to send: undici's dispatch options (path, method, headers, body). */
export type BufferedRequest = Dispatcher.DispatchOptions;

/** Send one request and read the whole answer; rejects with undici's error when the exchange fails. */
export function requestBuffered(dispatcher: Dispatcher, request: BufferedRequest): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(request, new BufferingHandler(resolve, reject));
  });
}

class BufferingHandler implements Dispatcher.DispatchHandlers {
  private status = 0;
  private retryAfter: string | undefined;
  private chunks: Buffer[] = [];
  private settled = false;

  constructor(
    private readonly resolve: (res: BufferedResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  onConnect(): void {
    // A retried exchange (a pipelined request re-sent) starts over.
    this.chunks = [];
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true; // 1xx: the real answer follows
    this.status = status;
    if (status >= 300) this.retryAfter = findHeader(rawHeaders, 'retry-after');
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.resolve({ status: this.status, body, retryAfter: this.retryAfter });
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }
}

/** A header's value from undici's raw `[name, value, name, value …]` list. */
function findHeader(rawHeaders: Buffer[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toString('latin1').toLowerCase() === name)
      return rawHeaders[i + 1]!.toString('latin1');
  }
  return undefined;
}
