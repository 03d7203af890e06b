import { TokenBucket } from './token-bucket';

/**
 * Lines waiting for the wire, in order, released at the token bucket's pace. `send` resolves
 * when the line has been written.
 */
export class SendQueue {
  private readonly queue: Array<{ write: () => void; done: () => void; fail: (err: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly bucket: TokenBucket) {}

  send(write: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
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
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
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
