import { TokenBucket } from './token-bucket';

/** Shortest wait between two releases once flood control holds lines back, so a fast rate does not cost a timer per line. */
const MIN_TICK_MS = 10;

const WRITTEN: Promise<void> = Promise.resolve();

/**
 * Lines waiting for the wire, in order, released at the token bucket's pace. `send` resolves
 * when the line has been written. While the bucket has tokens and nothing waits, a line is
 * written at once (no timer, no new promise); once lines wait, one timer releases as many as the
 * bucket allows each time it fires.
 */
export class SendQueue {
  private readonly queue: Array<{ write: () => void; done: () => void; fail: (err: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly bucket: TokenBucket) {}

  send(write: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    if (this.queue.length === 0 && this.bucket.tryTake() === 0) {
      try {
        write();
        return WRITTEN;
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((done, fail) => {
      this.queue.push({ write, done, fail });
      this.pump();
    });
  }

  get length(): number {
    return this.queue.length;
  }

  /** Reject everything still queued (e.g. on disconnect). */
  close(reason: Error): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const item of this.queue.splice(0)) item.fail(reason);
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length) {
      const wait = this.bucket.tryTake();
      if (wait > 0) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.pump();
          },
          // Several lines per timer at fast rates, but never so long that the full bucket wastes tokens.
          Math.max(wait, Math.min(MIN_TICK_MS, this.bucket.fillMs)),
        );
        return;
      }
      const item = this.queue.shift()!;
      try {
        item.write();
        item.done();
      } catch (err) {
        item.fail(err as Error);
      }
    }
  }
}
