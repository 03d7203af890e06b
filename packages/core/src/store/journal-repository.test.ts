import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { DONE_RETENTION_MS, JournalRepository } from './journal-repository';
import { migrateStore } from './migrate-store';
import { openSqliteDatabase } from './sqlite-connection';
import { StoreContext } from './store-context';

describe('journal retention of handled events', () => {
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

  it('recognises a handled event resent within the retention window', async () => {
    await journal.append([event('$a')]);
    await journal.markDone((await journal.pending())[0]!.seq);
    clock += DONE_RETENTION_MS - 1;
    await journal.pruneDone();
    await journal.append([event('$a')]);
    expect(await journal.pending()).toEqual([]);
  });

  it('forgets handled events once they are older than the window, pruning as later events are done', async () => {
    await journal.append([event('$old')]);
    await journal.markDone((await journal.pending())[0]!.seq);
    clock += DONE_RETENTION_MS + 60_000;
    await journal.append([event('$new')]);
    await journal.markDone((await journal.pending())[0]!.seq);
    const remaining = await db.selectFrom('journal').select('event_id').execute();
    expect(remaining.map((r) => r.event_id)).toEqual(['$new']);
  });

  it('never reuses a sequence number after the newest entries are pruned', async () => {
    await journal.append([event('$1')]);
    const [first] = await journal.pending();
    await journal.markDone(first!.seq);
    clock += DONE_RETENTION_MS + 1;
    await journal.pruneDone();
    await journal.append([event('$2')]);
    const [second] = await journal.pending();
    expect(second!.seq).toBeGreaterThan(first!.seq);
  });
});
