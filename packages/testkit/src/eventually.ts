/** Thrown by {@link eventually} when the condition never held. */
export class EventuallyTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
    this.name = 'EventuallyTimeoutError';
  }
}

/**
 * Poll `check` every 200 ms until it resolves true; rejects naming `what` after `timeoutMs`. For state a
 * test can only read, not be told about (power levels, room members on the homeserver).
 */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new EventuallyTimeoutError(what, timeoutMs);
}
