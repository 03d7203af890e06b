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
    const now = Date.now();
    const delay = Math.max(0, this.nextSlotAt - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const next = this.waiting.shift();
      if (next) {
        const jitter = Math.floor((this.options.random ?? Math.random)() * this.options.jitterMs);
        this.nextSlotAt = Math.max(Date.now(), this.nextSlotAt) + 1000 / this.options.perSecond + jitter;
        next.release();
      }
      this.pump();
    }, delay);
  }
}

/** Exponential backoff with jitter: `initial * 2^attempt`, capped, scaled by a random 50–100 %. */
export function reconnectDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.5 + random() * 0.5));
}
