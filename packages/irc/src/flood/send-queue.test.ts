import { describe, expect, it, jest } from '@jest/globals';
import { SendQueue } from './send-queue';
import { TokenBucket } from './token-bucket';

describe('SendQueue', () => {
  it('writes at once while the bucket has tokens', () => {
    const written: number[] = [];
    const queue = new SendQueue(new TokenBucket(10, 3));
    for (let i = 0; i < 3; i++) void queue.send(() => written.push(i));
    expect(written).toEqual([0, 1, 2]);
    expect(queue.length).toBe(0);
  });

  it('holds lines beyond the burst and releases them in order at the configured rate, several per timer', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const written: number[] = [];
      let timers = 0;
      const realSetTimeout = global.setTimeout;
      const counting = ((fn: () => void, ms?: number) => (
        timers++,
        realSetTimeout(fn, ms)
      )) as typeof setTimeout;
      global.setTimeout = counting;
      const queue = new SendQueue(new TokenBucket(1000, 5));
      const sent = Array.from({ length: 105 }, (_, i) => queue.send(() => written.push(i)));
      expect(written).toHaveLength(5);
      jest.advanceTimersByTime(50);
      expect(written.length).toBeGreaterThanOrEqual(50);
      expect(written.length).toBeLessThanOrEqual(56);
      jest.advanceTimersByTime(100);
      await Promise.all(sent);
      expect(written).toEqual(Array.from({ length: 105 }, (_, i) => i));
      global.setTimeout = realSetTimeout;
      // 100 held lines, up to a full bucket (5) per timer: about 20 timers, not 100.
      expect(timers).toBeLessThanOrEqual(21);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a line that cannot be written fails alone; later lines still go', async () => {
    const written: string[] = [];
    const queue = new SendQueue(new TokenBucket(10, 10));
    const bad = queue.send(() => {
      throw new Error('unsafe line');
    });
    const good = queue.send(() => void written.push('ok'));
    await expect(bad).rejects.toThrow('unsafe line');
    await good;
    expect(written).toEqual(['ok']);
  });
});
