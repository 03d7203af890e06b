/** Discord failures -> the core's RemoteSendError, with whether and when a retry makes sense. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { RemoteSendError } from '@trestle/core';

export function toRemoteSendError(err: unknown, action: string): RemoteSendError {
  if (err instanceof RemoteSendError) return err;
  if (err instanceof RateLimitError) {
    return new RemoteSendError(`Discord rate-limited ${action}`, {
      retryable: true,
      retryAfterMs: err.retryAfter,
      status: 429,
    });
  }
  if (err instanceof DiscordAPIError) {
    const retryable = err.status >= 500;
    return new RemoteSendError(`Discord refused ${action}: ${err.message} (code ${String(err.code)})`, {
      retryable,
      ...(retryable ? { retryAfterMs: 1000 } : {}),
      status: err.status,
    });
  }
  if (err instanceof HTTPError) {
    return new RemoteSendError(`Discord failed ${action}: HTTP ${err.status}`, {
      retryable: err.status >= 500,
      retryAfterMs: 1000,
      status: err.status,
    });
  }
  // Network errors and timeouts: Discord may be back soon.
  const message = err instanceof Error ? err.message : String(err);
  return new RemoteSendError(`Could not reach Discord for ${action}: ${message}`, {
    retryable: true,
    unreachable: true,
    retryAfterMs: 2000,
  });
}
