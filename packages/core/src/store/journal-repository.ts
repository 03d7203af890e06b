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

/** The durable journal of Matrix events taken from appservice transactions and not yet handled. */
export class JournalRepository implements JournalStore {
  private nextPruneAt = 0;

  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {}

  append(entries: Array<{ roomId: string; eventId: string; event: Record<string, unknown> }>): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.ctx.run('journal.append', async () => {
      const createdAt = this.now();
      const rows = entries.map((e) => ({
        room_id: e.roomId,
        event_id: e.eventId,
        event: JSON.stringify(e.event),
        attempts: 0,
        created_at: createdAt,
      }));
      // All or nothing: the transaction is answered 200 only once every one of its events is journaled.
      await this.ctx.insertAtomically(rows, (db, batch) =>
        db
          .insertInto('journal')
          .values(batch)
          .onConflict((oc) => oc.column('event_id').doNothing())
          .execute(),
      );
    });
  }

  /** Entries not yet handled, oldest first; all of them when no limit is given. */
  pending(limit?: number): Promise<JournalEntry[]> {
    return this.ctx.run('journal.pending', async () => {
      let query = this.ctx.db
        .selectFrom('journal')
        .select(['seq', 'room_id', 'event_id', 'event', 'attempts'])
        .where('done_at', 'is', null)
        .orderBy('seq');
      if (limit !== undefined) query = query.limit(limit);
      const rows = await query.execute();
      return rows.map((row) => ({
        seq: row.seq,
        roomId: row.room_id,
        eventId: row.event_id,
        event: JSON.parse(row.event) as Record<string, unknown>,
        attempts: row.attempts,
      }));
    });
  }

  markAttempt(seq: number): Promise<void> {
    return this.ctx.run('journal.markAttempt', async () => {
      await this.ctx.db
        .updateTable('journal')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('seq', '=', seq)
        .execute();
    });
  }

  markDone(seq: number): Promise<void> {
    return this.ctx.run('journal.markDone', async () => {
      const now = this.now();
      await this.ctx.db
        .updateTable('journal')
        .set({ done_at: now })
        .where('seq', '=', seq)
        .where('done_at', 'is', null)
        .execute();
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
