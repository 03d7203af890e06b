import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Migrator, type Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { JournalRepository, TRANSACTION_RETENTION_MS } from './journal-repository';
import { migrateStore } from './migrate-store';
import { storeMigrations } from './migrations';
import { openSqliteDatabase } from './sqlite-connection';
import { StoreContext } from './store-context';

describe('journal: handled events and transaction ids', () => {
  let db: Kysely<StoreDatabase>;
  let clock: number;
  let journal: JournalRepository;
  const event = (eventId: string) => ({
    roomId: '!r:example.org',
    eventId,
    event: { type: 'm.room.message' },
  });

  beforeEach(async () => {
    ({ db } = openSqliteDatabase(':memory:'));
    await migrateStore(db, 'sqlite');
    clock = 1_700_000_000_000;
    journal = new JournalRepository(new StoreContext(db, 'sqlite'), () => clock);
  });
  afterEach(() => db.destroy());

  it('recognises a handled transaction resent within the retention window', async () => {
    await journal.append([event('$a')], 'txn-1');
    await journal.markDone((await journal.pending())[0]!.seq);
    clock += TRANSACTION_RETENTION_MS - 1;
    await journal.pruneTransactions();
    expect(await journal.append([event('$a')], 'txn-1')).toEqual([]);
    expect(await journal.pending()).toEqual([]);
  });

  it('deletes a handled event at once, and transaction ids once older than the window, as later events are done', async () => {
    await journal.append([event('$old'), event('$kept')], 'txn-old');
    await journal.markDone((await journal.pending())[0]!.seq);
    const remaining = await db.selectFrom('journal').select('event_id').execute();
    expect(remaining.map((r) => r.event_id)).toEqual(['$kept']);
    clock += TRANSACTION_RETENTION_MS + 60_000;
    await journal.append([event('$new')], 'txn-new');
    await journal.markDone((await journal.pending())[0]!.seq);
    const transactions = await db.selectFrom('journal_transactions').select('txn_id').execute();
    expect(transactions.map((r) => r.txn_id)).toEqual(['txn-new']);
  });

  it('never reuses a sequence number after the newest entries are handled', async () => {
    await journal.append([event('$1')]);
    const [first] = await journal.pending();
    await journal.markDone(first!.seq);
    await journal.append([event('$2')]);
    const [second] = await journal.pending();
    expect(second!.seq).toBeGreaterThan(first!.seq);
  });

  it('keeps every pending row, its number and the sequence when a schema-1 journal is migrated; handled rows go', async () => {
    const { db: old } = openSqliteDatabase(':memory:');
    try {
      await new Migrator({ db: old, provider: storeMigrations('sqlite') }).migrateTo('0001-initial');
      const rows = ['$x', '$y', '$z'].map((eventId, i) => ({
        room_id: '!r:example.org',
        event_id: eventId,
        event: JSON.stringify({ i }),
        attempts: 0,
        created_at: clock,
        done_at: i === 0 ? clock : null,
      }));
      await old.insertInto('journal').values(rows).execute();
      await old.deleteFrom('journal').where('event_id', '=', '$z').execute(); // the sequence stays at 3
      await migrateStore(old, 'sqlite');
      const migrated = new JournalRepository(new StoreContext(old, 'sqlite'), () => clock);
      expect((await migrated.pending()).map((e) => [e.seq, e.eventId, e.event])).toEqual([
        [2, '$y', { i: 1 }],
      ]);
      const [added] = await migrated.append([event('$w')], 'txn-after-upgrade');
      expect(added!.seq).toBe(4);
    } finally {
      await old.destroy();
    }
  });
});
