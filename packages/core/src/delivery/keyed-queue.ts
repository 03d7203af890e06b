/** Where a key's first job starts from: always a later microtask, never inside `push` itself. */
const settledBefore = Promise.resolve();

/**
 * Per-key ordered execution: jobs with the same key (a portal) run one after another in the order
 * they were pushed; different keys run in parallel. This is what keeps messages in one room from
 * overtaking each other while rooms stay independent.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private readonly idleWaiters: Array<() => void> = [];

  /** Jobs queued or running, across all keys (the queue-depth metric). */
  get depth(): number {
    return this.pending;
  }

  /** Queue `job` behind everything already queued for `key`; resolves/rejects with the job. */
  push<T>(key: string, job: () => Promise<T>): Promise<T> {
    this.pending++;
    const previous = this.tails.get(key);
    const run = (previous ?? settledBefore).then(job);
    const settled = (): void => {
      this.pending--;
      if (this.tails.get(key) === tail) this.tails.delete(key);
      if (this.pending === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    };
    const tail: Promise<void> = run.then(settled, settled);
    this.tails.set(key, tail);
    return run;
  }

  /** Resolves when every queued job has finished (graceful shutdown). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
