import { setTimeout as sleep } from 'node:timers/promises';
import type { IRequestOpts, MatrixClient } from 'matrix-js-sdk' with { 'resolution-mode': 'import' };
import { loadMatrixSdk } from './load-matrix-sdk';
import type { MatrixTimelineEvent } from './room-event-log';

/** An invitation as `/sync` shows it: the room and the inviter, with the room's stripped state. */
export interface MatrixInvite {
  room_id: string;
  /** Who sent the invite (the sender of our `m.room.member` invite event). */
  sender: string;
  state: Array<{ type: string; state_key: string; sender: string; content: Record<string, unknown> }>;
}

type RawEvent = Omit<MatrixTimelineEvent, 'room_id'>;
interface RoomTimeline {
  timeline?: { events?: RawEvent[] };
}
interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, RoomTimeline>;
    leave?: Record<string, RoomTimeline>;
    invite?: Record<string, { invite_state?: { events?: MatrixInvite['state'] } }>;
  };
}

/** What the loop hands on, in the order the server sent it. */
export interface SyncSink {
  onTimelineEvents(events: MatrixTimelineEvent[]): void;
  onInvites(invites: MatrixInvite[]): void;
}

/** Only what tests look at: room timelines (large enough never to be cut short) and invites. */
const FILTER = JSON.stringify({
  presence: { not_types: ['*'] },
  account_data: { not_types: ['*'] },
  room: { timeline: { limit: 1000 }, ephemeral: { not_types: ['*'] }, account_data: { not_types: ['*'] } },
});
const LONG_POLL_MS = 30_000;
const RETRY_DELAY_MS = 250;

/**
 * A plain `/sync` long-poll loop over the SDK's authenticated HTTP client. Lighter and more
 * predictable than `startClient()`: no stores, no local echoes, no crypto; raw events as the spec
 * defines them.
 */
export class SyncLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  /** The last error the loop met (it keeps retrying; a homeserver restart is not fatal). */
  lastError: unknown;

  constructor(
    private readonly client: MatrixClient,
    private readonly userId: string,
    private readonly sink: SyncSink,
  ) {}

  /** Do the initial sync, then keep long-polling in the background. */
  async start(): Promise<void> {
    const initial = await this.sync(undefined, 0);
    this.running = this.loop(initial.next_batch);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(since: string): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        since = (await this.sync(since, LONG_POLL_MS)).next_batch;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.lastError = error;
        await sleep(RETRY_DELAY_MS, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private async sync(since: string | undefined, timeoutMs: number): Promise<SyncResponse> {
    const query: Record<string, string> = { filter: FILTER, timeout: String(timeoutMs) };
    if (since) query.since = since;
    const { Method } = loadMatrixSdk();
    // Not the SDK's `localTimeoutMs`: its timer is never cleared, and would hold the test process
    // open for the whole long-poll after stop(). AbortSignal.timeout's timer does not.
    const abortSignal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs + 15_000)]);
    // The SDK types `priority` (from DOM's RequestInit) as required when @types/node lacks it.
    const options = { abortSignal } as IRequestOpts;
    const response = await this.client.http.authedRequest<SyncResponse>(
      Method.Get,
      '/sync',
      query,
      undefined,
      options,
    );
    this.deliver(response);
    return response;
  }

  private deliver(response: SyncResponse): void {
    const rooms = response.rooms ?? {};
    const timeline: MatrixTimelineEvent[] = [];
    for (const section of [rooms.join, rooms.leave]) {
      for (const [roomId, room] of Object.entries(section ?? {})) {
        for (const event of room.timeline?.events ?? []) timeline.push({ ...event, room_id: roomId });
      }
    }
    if (timeline.length > 0) this.sink.onTimelineEvents(timeline);
    const invites: MatrixInvite[] = Object.entries(rooms.invite ?? {}).map(([roomId, room]) => {
      const state = room.invite_state?.events ?? [];
      const own = state.find((event) => event.type === 'm.room.member' && event.state_key === this.userId);
      return { room_id: roomId, sender: own?.sender ?? '', state };
    });
    if (invites.length > 0) this.sink.onInvites(invites);
  }
}
