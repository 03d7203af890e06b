import type { JournalEntry, JournalStore } from './store';
import type { StoreContext } from './store-context';

/**
 * How long a handled entry is kept. Its event id stays known for that long, so a homeserver resending a
 * transaction whose answer was lost (it retries within minutes) finds the events already journaled and
 * they are not handled twice. Older handled rows are deleted to keep the table small.
 */
export const DONE_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Handled rows are pruned at most this often, from markDone, so the hot path rarely pays for it. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
/** Transactions of up to this many events are journaled by a statement compiled once per size. */
const PREPARED_BATCH_LIMIT = 100;

/** One journal row as appended. */
interface JournalRow {
  room_id: string;
  event_id: string;
  event: string;
  attempts: number;
  created_at: number;
}

type Inserted = { seq: number; event_id: string };

/** The durable journal of Matrix events taken from appservice transactions and not yet handled. */
export class JournalRepository implements JournalStore {
  private nextPruneAt = 0;
  private readonly done;
  /** By row count: the multi-row insert of that many events, compiled once (Kysely's compile per call was ~20 µs an event). */
  private readonly inserts = new Map<number, (rows: JournalRow[]) => Promise<Inserted[]>>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {
    // Runs once per bridged event: compiled once (see StoreContext.prepared).
    this.done = ctx.prepared<unknown, { seq: number; now: number }>((db, p) =>
      db
        .updateTable('journal')
        .set({ done_at: p('now') })
        .where('seq', '=', p('seq'))
        .where('done_at', 'is', null),
    );
  }

  append(
    entries: Array<{ roomId: string; eventId: string; event: Record<string, unknown> }>,
  ): Promise<JournalEntry[]> {
    if (entries.length === 0) return Promise.resolve([]);
    return this.ctx.run('journal.append', async () => {
      const createdAt = this.now();
      const rows: JournalRow[] = entries.map((e) => ({
        room_id: e.roomId,
        event_id: e.eventId,
        event: JSON.stringify(e.event),
        attempts: 0,
        created_at: createdAt,
      }));
      // All or nothing: the transaction is answered 200 only once every one of its events is journaled.
      // One statement is atomic on its own.
      const inserted =
        rows.length <= PREPARED_BATCH_LIMIT
          ? await this.insertOf(rows.length)(rows)
          : await this.ctx.insertAtomically(rows, (db, batch) =>
              db
                .insertInto('journal')
                .values(batch)
                .onConflict((oc) => oc.column('event_id').doNothing())
                .returning(['seq', 'event_id'])
                .execute(),
            );
      // The homeserver is told "received" right after this resolves: the rows must be on disk by then.
      this.ctx.makeDurable();
      const byEventId = new Map(entries.map((e) => [e.eventId, e]));
      return inserted
        .sort((a, b) => a.seq - b.seq)
        .map((row) => ({ ...byEventId.get(row.event_id)!, seq: row.seq }));
    });
  }

  private insertOf(count: number): (rows: JournalRow[]) => Promise<Inserted[]> {
    let insert = this.inserts.get(count);
    if (!insert) {
      const columns = ['room_id', 'event_id', 'event', 'attempts', 'created_at'] as const;
      const statement = this.ctx.prepared<Inserted, Record<string, unknown>>((db, p) =>
        db
          .insertInto('journal')
          .values(
            Array.from({ length: count }, (_, i) => ({
              room_id: p(`room_id${i}`),
              event_id: p(`event_id${i}`),
              event: p(`event${i}`),
              attempts: p(`attempts${i}`),
              created_at: p(`created_at${i}`),
            })),
          )
          .onConflict((oc) => oc.column('event_id').doNothing())
          .returning(['seq', 'event_id']),
      );
      insert = (rows) => {
        const params: Record<string, unknown> = {};
        rows.forEach((row, i) => {
          for (const column of columns) params[`${column}${i}`] = row[column];
        });
        return statement(params);
      };
      this.inserts.set(count, insert);
    }
    return insert;
  }

  /** Entries not yet handled, oldest first; all of them when no limit is given. */
  pending(limit?: number): Promise<JournalEntry[]> {
    return this.ctx.run('journal.pending', async () => {
      let query = this.ctx.db
        .selectFrom('journal')
        .select(['seq', 'room_id', 'event_id', 'event'])
        .where('done_at', 'is', null)
        .orderBy('seq');
      if (limit !== undefined) query = query.limit(limit);
      const rows = await query.execute();
      return rows.map((row) => ({
        seq: row.seq,
        roomId: row.room_id,
        eventId: row.event_id,
        event: JSON.parse(row.event) as Record<string, unknown>,
      }));
    });
  }

  markDone(seq: number): Promise<void> {
    return this.ctx.run('journal.markDone', async () => {
      const now = this.now();
      await this.done({ seq, now });
      if (now >= this.nextPruneAt) await this.pruneDone();
    });
  }

  /** Delete handled entries older than the retention window. */
  pruneDone(): Promise<void> {
    return this.ctx.run('journal.pruneDone', async () => {
      const now = this.now();
      this.nextPruneAt = now + PRUNE_INTERVAL_MS;
      await this.ctx.db
        .deleteFrom('journal')
        .where('done_at', 'is not', null)
        .where('done_at', '<', now - DONE_RETENTION_MS)
        .execute();
    });
  }
}
