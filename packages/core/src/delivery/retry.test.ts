import { describe, expect, it } from '@jest/globals';
import { RetryStoppedError, stoppableSleep, withRetry, type RetryPolicy, type RetryVerdict } from './retry';

const policy: RetryPolicy = {
  maxAttempts: 3,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  maxOutageMs: 60_000,
};

/** A fake clock whose sleeps move time on; `failures` are thrown in order, then `fn` succeeds. */
function run(failures: RetryVerdict[], p: RetryPolicy = policy) {
  let now = 0;
  let calls = 0;
  const result = withRetry(
    async () => {
      const failure = failures[calls++];
      if (failure) throw Object.assign(new Error(`failure ${calls}`), { verdict: failure });
      return 'sent';
    },
    p,
    (err) => (err as { verdict: RetryVerdict }).verdict,
    async (ms) => void (now += ms),
    () => now,
  );
  return { result, calls: () => calls, now: () => now };
}

const flaky: RetryVerdict = { retryable: true };
const down: RetryVerdict = { retryable: true, unreachable: true, retryAfterMs: 5_000 };

describe('retrying a failed send', () => {
  it('a retryable failure is tried again, and given up after maxAttempts', async () => {
    await expect(run([flaky, flaky]).result).resolves.toBe('sent');
    const r = run([flaky, flaky, flaky]);
    await expect(r.result).rejects.toThrow('failure 3');
    expect(r.calls()).toBe(3);
  });

  it('a failure that is not retryable is given up at once', async () => {
    const r = run([{ retryable: false }]);
    await expect(r.result).rejects.toThrow('failure 1');
    expect(r.calls()).toBe(1);
  });

  it('a network outage does not use up attempts: the message waits for the network to come back', async () => {
    // Forty tries over forty seconds of "not connected", then delivered, although maxAttempts is 3.
    const r = run(Array.from({ length: 40 }, () => down));
    await expect(r.result).resolves.toBe('sent');
    expect(r.calls()).toBe(41);
    expect(r.now()).toBe(40 * 1_000);
  });

  it('an outage longer than maxOutageMs is given up, then counted like any failure', async () => {
    const r = run(
      Array.from({ length: 1_000 }, () => down),
      { ...policy, maxOutageMs: 10_000 },
    );
    await expect(r.result).rejects.toThrow();
    // About ten seconds of waiting at most one second apart, then the three counted attempts.
    expect(r.calls()).toBeGreaterThan(10);
    expect(r.calls()).toBeLessThan(20);
    expect(r.now()).toBeLessThan(15_000);
  });
});

describe('stopping while a retry waits', () => {
  it('the wait ends at once with RetryStoppedError, and the send is not tried again', async () => {
    const stop = new AbortController();
    let calls = 0;
    const started = Date.now();
    const result = withRetry(
      () => {
        calls += 1;
        return Promise.reject(new Error('not connected'));
      },
      policy,
      () => down,
      stoppableSleep(stop.signal),
    );
    setTimeout(() => stop.abort(), 50);
    await expect(result).rejects.toBeInstanceOf(RetryStoppedError);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
