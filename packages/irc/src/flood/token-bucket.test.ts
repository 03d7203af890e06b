import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then paces lines at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([0, 0, 0]);
    expect(bucket.tryTake()).toBe(500);
    now = 500;
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBeGreaterThan(0);
  });
});
