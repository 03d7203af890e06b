/**
 * Retry with exponential backoff and jitter that honours a server's "retry after" hint
 * (Matrix 429 `retry_after_ms`, Discord/Telegram `retry_after`).
 */
export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /**
   * How long failures that say the network is unreachable are waited out without using up attempts
   * (a disconnected IRC server, Discord or Telegram down). Default {@link defaultMaxOutageMs}.
   */
  maxOutageMs?: number;
}

/** What a retry loop needs to know about a failure. */
export interface RetryVerdict {
  retryable: boolean;
  retryAfterMs?: number;
  /** The network cannot be reached at all right now: wait for it instead of counting an attempt. */
  unreachable?: boolean;
}

/** One hour: an ircd restart or a netsplit is over long before; an admin has noticed by then. */
export const defaultMaxOutageMs = 3_600_000;

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxOutageMs: defaultMaxOutageMs,
};

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxBackoffMs);
  const exp = policy.initialBackoffMs * 2 ** (attempt - 1);
  const jitter = 0.5 + Math.random() / 2;
  return Math.min(exp * jitter, policy.maxBackoffMs);
}

/**
 * Run `fn` until it succeeds, the failure is not retryable, or attempts run out; the last error is thrown.
 * `classify` says whether an error may be retried and after how long. Failures classified `unreachable`
 * do not count as attempts while the outage is shorter than `policy.maxOutageMs`: the message waits for
 * the network to come back instead of being given up after a few quick tries.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  classify: (err: unknown) => RetryVerdict,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => number = Date.now,
): Promise<T> {
  const maxOutageMs = policy.maxOutageMs ?? defaultMaxOutageMs;
  let outageStartedAt: number | undefined;
  let outageTries = 0;
  for (let attempt = 1, tries = 1; ; tries++) {
    try {
      return await fn(tries);
    } catch (err) {
      const verdict = classify(err);
      if (!verdict.retryable) throw err;
      if (verdict.unreachable) {
        outageStartedAt ??= now();
        if (now() - outageStartedAt < maxOutageMs) {
          outageTries += 1;
          await sleep(backoffDelay(policy, outageTries, verdict.retryAfterMs));
          continue;
        }
      } else {
        outageStartedAt = undefined;
        outageTries = 0;
      }
      if (attempt >= policy.maxAttempts) throw err;
      await sleep(backoffDelay(policy, attempt, verdict.retryAfterMs));
      attempt += 1;
    }
  }
}

/** Thrown by a retry wait that was cut short because the bridge is stopping. */
export class RetryStoppedError extends Error {
  constructor() {
    super('the bridge is stopping; the retry was left for the next start');
    this.name = 'RetryStoppedError';
  }
}

/** A sleep for {@link withRetry} that ends at once with {@link RetryStoppedError} when `signal` aborts. */
export function stoppableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new RetryStoppedError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new RetryStoppedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}
