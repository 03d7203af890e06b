/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it. */
const DISCORD_EPOCH = 1420070400000n;

/**
 * Makes Discord-style snowflakes: the timestamp in the high bits and a counter in the low ones,
 * so ids sort by creation time like real ones (discord.js and bridges rely on that for `after=`).
 */
export class SnowflakeGenerator {
  private increment = 0n;
  private lastMs = 0n;

  next(now = Date.now()): string {
    let ms = BigInt(now) - DISCORD_EPOCH;
    // Keep ids strictly increasing even if the clock stalls or steps back.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) this.increment += 1n;
    else this.increment = 0n;
    if (this.increment >= 4096n) {
      ms += 1n;
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | this.increment).toString();
  }
}

/** Compare two snowflakes numerically (they outgrow `Number`). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** When a snowflake was made, in ms since 1970. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
