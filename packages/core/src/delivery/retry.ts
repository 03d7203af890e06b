/**
 * Retry with exponential backoff and jitter that honours a server's "retry after" hint
 * (Matrix 429 `retry_after_ms`, Discord/Telegram `retry_after`).
 */
export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** What a retry loop needs to know about a failure. */
export interface RetryVerdict {
  retryable: boolean;
  retryAfterMs?: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
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
 * `classify` says whether an error may be retried and after how long.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  classify: (err: unknown) => RetryVerdict,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const verdict = classify(err);
      if (!verdict.retryable || attempt >= policy.maxAttempts) throw err;
      await sleep(backoffDelay(policy, attempt, verdict.retryAfterMs));
    }
  }
}
