/**
 * The global cap on new virtual-user connections: at most `perSecond` across all networks, each
 * with a little random delay (so a thousand reconnects after a netsplit do not hit the server in
 * lockstep), and the most recently active Matrix users first.
 */
export interface ConnectGateOptions {
  perSecond: number;
  jitterMs: number;
  random?: () => number;
}

interface Waiter {
  priority: number;
  release: () => void;
  reject: (err: Error) => void;
}

export class ConnectGateClosedError extends Error {
  constructor() {
    super('the bridge is stopping; no new IRC connections');
    this.name = 'ConnectGateClosedError';
  }
}

export class ConnectGate {
  private readonly waiting: Waiter[] = [];
  private nextSlotAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ConnectGateOptions) {}

  /** Resolves when a connection may be opened; a higher `priority` (last activity time) goes first. */
  wait(priority: number): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectGateClosedError());
    return new Promise((release, reject) => {
      const at = this.waiting.findIndex((w) => w.priority < priority);
      const waiter = { priority, release, reject };
      if (at < 0) this.waiting.push(waiter);
      else this.waiting.splice(at, 0, waiter);
      // Slots not used while nobody waited are not saved up for a burst.
      if (!this.timer) this.nextSlotAt = Math.max(this.nextSlotAt, Date.now());
      this.pump();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.waiting.splice(0)) w.reject(new ConnectGateClosedError());
  }

  private pump(): void {
    if (this.timer || this.waiting.length === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        // Every slot that has come (a timer may fire late) is used, so the rate holds at hundreds per second.
        const now = Date.now();
        while (this.waiting.length && this.nextSlotAt <= now) {
          this.nextSlotAt += 1000 / this.options.perSecond;
          this.admit(this.waiting.shift()!);
        }
        this.pump();
      },
      Math.max(0, this.nextSlotAt - Date.now()),
    );
  }

  /**
   * The jitter delays this one connection only; it does not push back the next slot (else a
   * 200 ms jitter would turn 50 connections/s into 10).
   */
  private admit(waiter: Waiter): void {
    const jitter = Math.floor((this.options.random ?? Math.random)() * this.options.jitterMs);
    if (jitter > 0)
      setTimeout(
        () => (this.closed ? waiter.reject(new ConnectGateClosedError()) : waiter.release()),
        jitter,
      ).unref();
    else waiter.release();
  }
}

/**
 * Exponential backoff: `initial * 2^attempt`, capped. Deliberately without randomness: users
 * dropped together (a netsplit, an ircd restart) then reach the {@link ConnectGate} together,
 * which lets them through most recently active first, at its rate, with its jitter. A random
 * backoff here would decide the order by chance instead.
 */
export function reconnectDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
}
