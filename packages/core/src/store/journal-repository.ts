import type { JournalEntry, JournalStore } from './store';
import type { StoreContext } from './store-context';

/**
 * How long a journaled transaction's id is kept. For that long a homeserver resending a transaction whose
 * answer was lost (it retries within minutes) finds it journaled, and its events are not handled twice.
 * Older ids are deleted to keep the table small.
 */
export const TRANSACTION_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Old transaction ids are pruned at most this often, from markDone, so the hot path rarely pays for it. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
/** Rows per journal INSERT; each row count has its statement compiled once. */
const ROWS_PER_INSERT = 100;

/** One journal row as appended. */
interface JournalRow {
  room_id: string;
  event_id: string;
  event: string;
  created_at: number;
}

type Inserted = { seq: number; event_id: string };
type NewEntry = { roomId: string; eventId: string; event: Record<string, unknown> };

/** The durable journal of Matrix events taken from appservice transactions and not yet handled. */
export class JournalRepository implements JournalStore {
  private nextPruneAt = 0;
  private readonly done;
  private readonly transactionSeen;
  private readonly recordTransaction;
  private readonly undoAppend;
  /** By row count: the multi-row insert of that many events (Kysely's compile per call was ~20 µs an event). */
  private readonly inserts = new Map<number, (rows: JournalRow[]) => Inserted[] | undefined>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {
    // Runs once per bridged event: compiled once (see StoreContext.prepared).
    this.done = ctx.preparedEither<unknown, { seq: number }>((db, p) =>
      db.deleteFrom('journal').where('seq', '=', p('seq')),
    );
    this.transactionSeen = ctx.preparedNow<unknown, { txnId: string }>((db, p) =>
      db.selectFrom('journal_transactions').select('txn_id').where('txn_id', '=', p('txnId')),
    );
    this.recordTransaction = ctx.preparedNow<unknown, { txnId: string; now: number }>((db, p) =>
      db.insertInto('journal_transactions').values({ txn_id: p('txnId'), created_at: p('now') }),
    );
    this.undoAppend = ctx.preparedNow<unknown, { first: number; last: number }>((db, p) =>
      db.deleteFrom('journal').where('seq', '>=', p('first')).where('seq', '<=', p('last')),
    );
  }

  /**
   * Journal the events of one appservice transaction, all or nothing. With `transactionId`, a transaction
   * already journaled (a homeserver's retry of one whose answer it did not get) adds nothing. An event listed
   * twice is journaled once. Resolves with the entries added, in journal order.
   */
  append(entries: NewEntry[], transactionId?: string): Promise<JournalEntry[]> {
    const firstOfEach = new Map<string, NewEntry>();
    for (const e of entries) if (!firstOfEach.has(e.eventId)) firstOfEach.set(e.eventId, e);
    const unique = [...firstOfEach.values()];
    if (unique.length === 0) return Promise.resolve([]);
    return this.ctx.run('journal.append', async () => {
      const createdAt = this.now();
      const rows: JournalRow[] = unique.map((e) => ({
        room_id: e.roomId,
        event_id: e.eventId,
        event: JSON.stringify(e.event),
        created_at: createdAt,
      }));
      const inserted =
        this.appendNow(rows, transactionId, createdAt) ??
        (await this.appendInTransaction(rows, transactionId, createdAt));
      if (inserted === 'retried') return [];
      // The homeserver is told "received" right after this resolves: the rows must be on disk by then.
      this.ctx.makeDurable();
      const byEventId = new Map(unique.map((e) => [e.eventId, e]));
      return inserted
        .sort((a, b) => a.seq - b.seq)
        .map((row) => ({ ...byEventId.get(row.event_id)!, seq: row.seq }));
    });
  }

  /**
   * SQLite, at once: the statements run back to back, so the events and the transaction's id land in the
   * same commit. Undefined when the connection is taken (an explicit transaction): then use the other path.
   */
  private appendNow(
    rows: JournalRow[],
    transactionId: string | undefined,
    now: number,
  ): Inserted[] | 'retried' | undefined {
    if (transactionId !== undefined) {
      const seen = this.transactionSeen({ txnId: transactionId });
      if (!seen) return undefined;
      if (seen.length > 0) return 'retried';
    }
    const inserted: Inserted[] = [];
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const batch = rows.slice(i, i + ROWS_PER_INSERT);
        const added = this.insertOf(batch.length)(batch);
        if (!added) return undefined; // only the first can decline: nothing was written
        inserted.push(...added);
      }
      if (transactionId !== undefined) this.recordTransaction({ txnId: transactionId, now });
      return inserted;
    } catch (err) {
      // All or nothing: a retry of this transaction must find none of it.
      if (inserted.length > 0) {
        const seqs = inserted.map((row) => row.seq);
        this.undoAppend({ first: Math.min(...seqs), last: Math.max(...seqs) });
      }
      throw err;
    }
  }

  /** PostgreSQL (or a busy SQLite connection): the same steps in one database transaction. */
  private appendInTransaction(
    rows: JournalRow[],
    transactionId: string | undefined,
    now: number,
  ): Promise<Inserted[] | 'retried'> {
    return this.ctx.db.transaction().execute(async (trx) => {
      if (transactionId !== undefined) {
        const seen = await trx
          .selectFrom('journal_transactions')
          .select('txn_id')
          .where('txn_id', '=', transactionId)
          .executeTakeFirst();
        if (seen) return 'retried';
      }
      const inserted: Inserted[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const batch = rows.slice(i, i + ROWS_PER_INSERT);
        inserted.push(
          ...(await trx.insertInto('journal').values(batch).returning(['seq', 'event_id']).execute()),
        );
      }
      if (transactionId !== undefined)
        await trx
          .insertInto('journal_transactions')
          .values({ txn_id: transactionId, created_at: now })
          .execute();
      return inserted;
    });
  }

  private insertOf(count: number): (rows: JournalRow[]) => Inserted[] | undefined {
    let insert = this.inserts.get(count);
    if (!insert) {
      const columns = ['room_id', 'event_id', 'event', 'created_at'] as const;
      const statement = this.ctx.preparedNow<Inserted, Record<string, unknown>>((db, p) =>
        db
          .insertInto('journal')
          .values(
            Array.from({ length: count }, (_, i) => ({
              room_id: p(`room_id${i}`),
              event_id: p(`event_id${i}`),
              event: p(`event${i}`),
              created_at: p(`created_at${i}`),
            })),
          )
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
    const done = this.ctx.write('journal.markDone', this.done, { seq });
    if (this.now() < this.nextPruneAt) return done;
    return done.then(() => this.pruneTransactions());
  }

  /** Delete the ids of transactions older than the retention window. */
  pruneTransactions(): Promise<void> {
    return this.ctx.run('journal.pruneTransactions', async () => {
      const now = this.now();
      this.nextPruneAt = now + PRUNE_INTERVAL_MS;
      const cutoff = now - TRANSACTION_RETENTION_MS;
      await this.ctx.db.deleteFrom('journal_transactions').where('created_at', '<', cutoff).execute();
    });
  }
}
