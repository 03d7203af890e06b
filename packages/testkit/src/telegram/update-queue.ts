/**
 * The bot's pending updates and `getUpdates` long polling, with the Bot API's semantics:
 * - an update stays queued until a later call passes an `offset` greater than its id (confirmation);
 *   confirmed updates are never delivered again, unconfirmed ones are redelivered to the next poll;
 * - a poll with nothing to deliver is held until an update arrives or `timeout` seconds pass;
 * - `allowed_updates` is remembered between calls and applies to updates created afterwards
 *   (the default excludes `chat_member`, `message_reaction` and `message_reaction_count`);
 * - a new poll terminates a pending one with 409 Conflict, as when two bot instances run.
 */
import type { Update } from 'telegraf/types';
import { apiErrors } from './api-error';

const defaultExcluded: ReadonlySet<string> = new Set([
  'chat_member',
  'message_reaction',
  'message_reaction_count',
]);

/** An update body before the queue numbers it, e.g. `{ message: {...} }`. */
export type UpdateBody = DistributiveOmit<Update, 'update_id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface HeldPoll {
  offsetFloor: number;
  limit: number;
  finish(result: Update[] | Error): void;
}

export interface PollRequest {
  offset?: number;
  limit?: number;
  /** Seconds to hold the request when nothing is pending. */
  timeout?: number;
  allowedUpdates?: string[];
  /** Aborted when the HTTP client goes away. */
  signal: AbortSignal;
}

export class UpdateQueue {
  private queued: Update[] = [];
  private nextId: number;
  private allowed: ReadonlySet<string> | undefined;
  private held: HeldPoll | undefined;

  constructor(firstUpdateId = 1) {
    this.nextId = firstUpdateId;
  }

  /** Queue an update if the bot's `allowed_updates` admits its kind; returns the update or undefined if filtered. */
  push(body: UpdateBody): Update | undefined {
    const kind = Object.keys(body)[0]!;
    if (!this.admits(kind)) return undefined;
    const update = { update_id: this.nextId++, ...body } as Update;
    this.queued.push(update);
    if (this.held) {
      const held = this.held;
      this.held = undefined;
      held.finish(this.pendingFrom(held.offsetFloor, held.limit));
    }
    return update;
  }

  /** True when `kind` would currently be queued. */
  admits(kind: string): boolean {
    return this.allowed ? this.allowed.has(kind) : !defaultExcluded.has(kind);
  }

  /** True while a `getUpdates` call is being held open. */
  get polling(): boolean {
    return this.held !== undefined;
  }

  /** Updates delivered but not yet confirmed by an offset, oldest first. */
  unconfirmed(): readonly Update[] {
    return this.queued;
  }

  /** Answer one `getUpdates` call. */
  poll(request: PollRequest): Promise<Update[]> {
    if (request.allowedUpdates) {
      this.allowed = request.allowedUpdates.length > 0 ? new Set(request.allowedUpdates) : undefined;
    }
    const floor = this.confirm(request.offset ?? 0);
    const limit = Math.min(Math.max(request.limit ?? 100, 1), 100);
    if (this.held) {
      const previous = this.held;
      this.held = undefined;
      previous.finish(apiErrors.pollConflict());
    }
    const ready = this.pendingFrom(floor, limit);
    const timeoutSeconds = request.timeout ?? 0;
    if (ready.length > 0 || timeoutSeconds <= 0) return Promise.resolve(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const held: HeldPoll = {
        offsetFloor: floor,
        limit,
        finish: (result) => {
          clearTimeout(timer);
          request.signal.removeEventListener('abort', onAbort);
          if (result instanceof Error) reject(result);
          else resolve(result);
        },
      };
      const timer = setTimeout(() => {
        if (this.held === held) this.held = undefined;
        held.finish([]);
      }, timeoutSeconds * 1000);
      const onAbort = () => {
        if (this.held === held) this.held = undefined;
        held.finish([]);
      };
      request.signal.addEventListener('abort', onAbort);
      this.held = held;
    });
  }

  /** Forget every pending update (`deleteWebhook` with `drop_pending_updates`). */
  dropPending(): void {
    this.queued = [];
  }

  /** Stop holding any poll (server shutdown). */
  close(): void {
    this.held?.finish([]);
    this.held = undefined;
  }

  /**
   * Drop confirmed updates. A negative offset asks for the last |offset| updates and forgets
   * the older ones, as Telegram does. Returns the lowest update id still deliverable.
   */
  private confirm(offset: number): number {
    if (offset < 0) {
      this.queued = this.queued.slice(offset);
      return this.queued[0]?.update_id ?? this.nextId;
    }
    this.queued = this.queued.filter((u) => u.update_id >= offset);
    return offset;
  }

  private pendingFrom(floor: number, limit: number): Update[] {
    return this.queued.filter((u) => u.update_id >= floor).slice(0, limit);
  }
}
