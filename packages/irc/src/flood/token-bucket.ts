/**
 * A token bucket: `burst` lines may go at once, then `ratePerSecond` on average. IRC servers
 * disconnect clients that flood ("Excess Flood"), so every connection sends through one.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Milliseconds until a token is available (0 = now). Takes the token when it returns 0. */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** Milliseconds an empty bucket takes to fill up: waiting longer than this wastes tokens. */
  get fillMs(): number {
    return (this.burst / this.ratePerSecond) * 1000;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }
}
