import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { MessageRepository } from './message-repository';
import { migrateStore } from './migrate-store';
import { openSqliteDatabase } from './sqlite-connection';
import { StoreContext } from './store-context';

describe('hot SQLite statements that skip the query builder', () => {
  let dir: string;
  let file: string;
  let db: Kysely<StoreDatabase>;
  let messages: MessageRepository;

  const mapping = (eventId: string) => ({
    roomId: '!r:example.org',
    eventId,
    chatId: 'chat',
    remoteId: `remote-${eventId}`,
    part: 0,
    sender: '@a:example.org',
    createdAt: 1,
  });
  /** What another process reading the file sees: committed rows only. */
  const committedEventIds = () => {
    const reader = new Database(file, { readonly: true });
    try {
      return (reader.prepare('select event_id from message_map').all() as Array<{ event_id: string }>).map(
        (r) => r.event_id,
      );
    } finally {
      reader.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trestle-session-'));
    file = join(dir, 'store.sqlite');
    const opened = openSqliteDatabase(file);
    db = opened.db;
    await migrateStore(db, 'sqlite');
    opened.makeDurable();
    messages = new MessageRepository(new StoreContext(db, 'sqlite', opened.makeDurable, opened.runNow));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back a write at once, and commits it within the group window', async () => {
    await messages.add([mapping('$a')]);
    expect((await messages.byEvent('$a'))?.remoteId).toBe('remote-$a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(committedEventIds()).toEqual(['$a']);
  });

  it('waits for an explicit transaction instead of joining it, so its rollback does not take the write along', async () => {
    let pendingAdd: Promise<void> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('kv').values({ namespace: 'n', key: 'k', value: '1', updated_at: 1 }).execute();
        pendingAdd = messages.add([mapping('$during')]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await pendingAdd;
    expect(await db.selectFrom('kv').selectAll().execute()).toEqual([]);
    expect((await messages.byEvent('$during'))?.eventId).toBe('$during');
  });
});
