/** Something that happened in a room; every entry names its room. */
export interface RoomScoped {
  room_id: string;
}

/** A Matrix event as `/sync` delivers it, with the room id added. */
export interface MatrixTimelineEvent extends RoomScoped {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  /** Top-level `redacts` of room versions before 11 (v11 puts it in `content.redacts`). */
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

/** Thrown when an awaited event did not arrive; lists what did arrive, to make the failure readable. */
export class EventWaitTimeoutError extends Error {
  constructor(
    readonly roomId: string | undefined,
    readonly timeoutMs: number,
    readonly seen: readonly string[],
  ) {
    super(
      `no matching event in ${roomId ?? 'any room'} within ${timeoutMs} ms; ` +
        `saw ${seen.length === 0 ? 'nothing' : `:\n  ${seen.join('\n  ')}`}`,
    );
    this.name = 'EventWaitTimeoutError';
  }
}

interface Waiter<E> {
  roomId: string | undefined;
  predicate: (event: E) => boolean;
  resolve: (event: E) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Every event seen per room since the log was made, and promises for events still to come. A wait
 * also matches events that arrived before it started, so tests never race the sync loop.
 */
export class RoomEventLog<E extends RoomScoped> {
  private readonly rooms = new Map<string, E[]>();
  private readonly waiters = new Set<Waiter<E>>();
  private closedWith: Error | undefined;

  /** @param describe - One line per event for timeout messages. */
  constructor(private readonly describe: (event: E) => string) {}

  /** Record events (in arrival order) and settle the waits they satisfy. */
  append(events: readonly E[]): void {
    for (const event of events) {
      const log = this.rooms.get(event.room_id) ?? [];
      log.push(event);
      this.rooms.set(event.room_id, log);
      for (const waiter of this.waiters) {
        if ((waiter.roomId === undefined || waiter.roomId === event.room_id) && waiter.predicate(event)) {
          this.settle(waiter);
          waiter.resolve(event);
        }
      }
    }
  }

  /** Events seen in a room, oldest first. */
  list(roomId: string): readonly E[] {
    return [...(this.rooms.get(roomId) ?? [])];
  }

  /**
   * The first event (in `roomId`, or in any room when undefined) matching `predicate`, already seen
   * or still to come.
   * @throws {@link EventWaitTimeoutError} after `timeoutMs`.
   */
  waitFor(roomId: string | undefined, predicate: (event: E) => boolean, timeoutMs: number): Promise<E> {
    const seen = roomId === undefined ? [...this.rooms.values()].flat() : (this.rooms.get(roomId) ?? []);
    const found = seen.find(predicate);
    if (found) return Promise.resolve(found);
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<E>((resolve, reject) => {
      const waiter: Waiter<E> = {
        roomId,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter);
          const now = roomId === undefined ? [...this.rooms.values()].flat() : (this.rooms.get(roomId) ?? []);
          reject(new EventWaitTimeoutError(roomId, timeoutMs, now.map(this.describe)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Reject pending waits with `reason`, and any later wait that finds nothing already logged. */
  close(reason: Error): void {
    this.closedWith = reason;
    for (const waiter of this.waiters) {
      this.settle(waiter);
      waiter.reject(reason);
    }
  }

  private settle(waiter: Waiter<E>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}
