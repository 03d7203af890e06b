/**
 * Bot API failures as the core's {@link RemoteSendError}: 429 (with `retry_after`), 5xx and network
 * failures are retryable; everything else (400 bad request, 403 kicked/blocked) is not.
 */
import { RemoteSendError } from '@trestle/core';
import { TelegramError } from 'telegraf';

export function toRemoteSendError(error: unknown, what: string): RemoteSendError {
  if (error instanceof RemoteSendError) return error;
  if (error instanceof TelegramError) {
    const retryAfter = error.parameters?.retry_after;
    if (error.code === 429) {
      return new RemoteSendError(`${what}: Telegram rate limit`, {
        retryable: true,
        retryAfterMs: (retryAfter ?? 1) * 1000,
        status: 429,
      });
    }
    const retryable = error.code >= 500;
    return new RemoteSendError(`${what}: ${error.description}`, {
      retryable,
      status: error.code,
      ...(retryable ? { retryAfterMs: 1000 } : {}),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  // node-fetch's FetchError and socket errors: the Bot API was not reached.
  return new RemoteSendError(`${what}: ${message}`, {
    retryable: true,
    unreachable: true,
    retryAfterMs: 1000,
  });
}
