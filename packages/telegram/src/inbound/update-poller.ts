/**
 * Long polling that confirms an update to Telegram only after it is handled.
 *
 * telegraf's own polling advances the offset as soon as a batch's handlers return, whatever they
 * did, and confirms it on stop even for handlers that failed — a failed `ctx.emit` would lose the
 * update. So this poller calls `getUpdates` itself (through telegraf's `Telegram` client) and:
 * - handles one chat's updates strictly in order, different chats in parallel — except that a
 *   group's migration to a supergroup is a barrier: everything before it is handled first, and the
 *   new chat's messages only after it (so they find the portal already moved);
 * - stops a chat's sequence at its first failure and confirms only up to the earliest failed
 *   update, so it and everything after it is delivered again (the core's idempotent delivery
 *   makes the repeats of already-handled updates harmless);
 * - waits out 429 `retry_after`, 5xx, network errors and 409 conflicts, and never stops on a
 *   handler error.
 */
import type { Logger } from '@trestle/core';
import { TelegramError, type Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';

export interface UpdatePollerOptions {
  timeoutSeconds: number;
  allowedUpdates: string[];
  /** Delay before retrying after a failed handler or an unreachable API (doubles up to 30 s). */
  retryDelayMs?: number;
  /** Where a previous run stopped: the first update id not yet handled. */
  initialOffset?: number;
  /**
   * Called with the new offset once every update before it is handled, so it can be kept across
   * restarts (Telegram itself learns it only with the next getUpdates call).
   */
  commitOffset?: (offset: number) => Promise<void>;
}

export type UpdateHandler = (update: Update) => Promise<void>;

export class UpdatePoller {
  private offset: number;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly telegram: Telegram,
    private readonly handle: UpdateHandler,
    private readonly log: Logger,
    private readonly options: UpdatePollerOptions,
  ) {
    this.offset = options.initialOffset ?? 0;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Abort the long poll, let the batch in hand finish, and confirm what was handled. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.offset > 0) {
      await this.telegram
        .callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 })
        .catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.telegram.callApi(
          'getUpdates',
          {
            offset: this.offset,
            timeout: this.options.timeoutSeconds,
            allowed_updates: this.options.allowedUpdates as never,
          },
          { signal: this.abort.signal as never },
        );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        failures += 1;
        await this.sleep(this.pollRetryDelay(error, failures));
        continue;
      }
      const failedAt = await this.handleBatch(updates);
      const last = updates[updates.length - 1];
      if (failedAt !== undefined) {
        failures += 1;
        await this.advanceTo(failedAt);
        await this.sleep(this.backoff(failures));
      } else {
        failures = 0;
        if (last) await this.advanceTo(last.update_id + 1);
      }
    }
  }

  private async advanceTo(offset: number): Promise<void> {
    if (offset <= this.offset) return;
    this.offset = offset;
    await this.options.commitOffset?.(offset).catch((error: unknown) => {
      // Telegram still holds the unconfirmed updates; a restart would just handle them again.
      this.log.warn('telegram update offset not saved', { offset, err: error });
    });
  }

  /** Handle a batch, segment by segment; returns the id of the earliest update that failed, if any. */
  private async handleBatch(updates: Update[]): Promise<number | undefined> {
    for (const segment of segmentsAtMigrations(updates)) {
      const failedAt = await this.handleConcurrently(segment);
      if (failedAt !== undefined) return failedAt;
    }
    return undefined;
  }

  /** Handle updates chat by chat in parallel; returns the id of the earliest update that failed. */
  private async handleConcurrently(updates: Update[]): Promise<number | undefined> {
    const byChat = new Map<string, Update[]>();
    for (const update of updates) {
      const key = chatKey(update);
      byChat.set(key, [...(byChat.get(key) ?? []), update]);
    }
    const failed = await Promise.all(
      [...byChat.values()].map(async (sequence) => {
        for (const update of sequence) {
          try {
            await this.handle(update);
          } catch (error) {
            this.log.warn('telegram update not handled; it will be retried', {
              update: update.update_id,
              err: error,
            });
            return update.update_id;
          }
        }
        return undefined;
      }),
    );
    const ids = failed.filter((id): id is number => id !== undefined);
    return ids.length > 0 ? Math.min(...ids) : undefined;
  }

  private pollRetryDelay(error: unknown, failures: number): number {
    if (error instanceof TelegramError) {
      if (error.code === 429) return (error.parameters?.retry_after ?? 1) * 1000;
      if (error.code === 409)
        this.log.error('another instance is polling this bot token (409 Conflict)', {
          err: error.description,
        });
      else if (error.code === 401) this.log.error('Telegram refused the bot token (401 Unauthorized)');
      else this.log.warn('getUpdates failed', { status: error.code, err: error.description });
    } else {
      this.log.warn('Bot API unreachable', { err: error });
    }
    return this.backoff(failures);
  }

  private backoff(failures: number): number {
    const base = this.options.retryDelayMs ?? 1000;
    return Math.min(base * 2 ** Math.max(0, failures - 1), 30_000);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Split a batch so that each migration service message is handled alone, after what came before. */
function segmentsAtMigrations(updates: Update[]): Update[][] {
  const segments: Update[][] = [[]];
  for (const update of updates) {
    if (isMigration(update)) segments.push([update], []);
    else segments[segments.length - 1]!.push(update);
  }
  return segments.filter((segment) => segment.length > 0);
}

function isMigration(update: Update): boolean {
  return (
    'message' in update &&
    ('migrate_to_chat_id' in update.message || 'migrate_from_chat_id' in update.message)
  );
}

/** The chat an update belongs to; updates without one share a sequence. */
function chatKey(update: Update): string {
  const body = Object.values(update).find((value) => typeof value === 'object' && value !== null) as
    { chat?: { id: number }; message?: { chat?: { id: number } } } | undefined;
  const chatId = body?.chat?.id ?? body?.message?.chat?.id;
  return chatId === undefined ? '' : String(chatId);
}
