import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqliteDatabase, type OpenedSqliteDatabase } from './sqlite-connection';

const PAGE = 4096;
const ROWS = 2_000;

describe('WAL checkpoints off the event loop', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trestle-wal-'));
    file = join(dir, 'store.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** One commit per row, each a page or more, in bursts with the event loop turning between them. */
  async function commitRows(opened: OpenedSqliteDatabase): Promise<void> {
    await sql`create table if not exists t (id integer primary key, v text)`.execute(opened.db);
    for (let i = 0; i < ROWS; i++) {
      opened.runNow('insert into t (v) values (?)', ['x'.repeat(PAGE)]);
      opened.makeDurable();
      if (i % 40 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const walBytes = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

  it('keeps the WAL bounded while commits keep coming, though the main connection never checkpoints', async () => {
    const opened = openSqliteDatabase(file, { intervalMs: 5, restartAfterFrames: 100 });
    await commitRows(opened);
    // Rows reach the database file only through a checkpoint: once it grows, the worker is at work.
    const emptyDatabase = statSync(file).size;
    while (statSync(file).size === emptyDatabase) await new Promise((resolve) => setTimeout(resolve, 10));
    const walBefore = walBytes();
    await commitRows(opened);
    // Every row costs at least two pages of WAL; unchecked, the WAL would grow by them all (~16 MB).
    expect(walBytes() - walBefore).toBeLessThan((ROWS * 2 * PAGE) / 4);
    await opened.db.destroy();
    await opened.released();
  });

  it('checkpoints everything and removes the WAL on close, and the rows are there when reopened', async () => {
    const opened = openSqliteDatabase(file, { intervalMs: 5 });
    await commitRows(opened);
    await opened.db.destroy();
    await opened.released();
    expect(walBytes()).toBe(0);
    const reopened = new Database(file, { readonly: true });
    try {
      expect(reopened.prepare('select count(*) as n from t').get()).toEqual({ n: ROWS });
    } finally {
      reopened.close();
    }
  });

  it('checkpoints on the main connection again if the worker fails', async () => {
    let failure: Error | undefined;
    const opened = openSqliteDatabase(file, { intervalMs: 5, onFailure: (err) => (failure = err) });
    // The worker's connection cannot open a file that is gone; it gives up and says so.
    rmSync(file);
    await new Promise<void>((resolve) => {
      const wait = () => (failure ? resolve() : setTimeout(wait, 5));
      wait();
    });
    expect(failure?.message).toMatch(/WAL checkpoint worker failed/);
    const pages = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(opened.db);
    expect(pages.rows[0]?.wal_autocheckpoint).toBeGreaterThan(0);
    await opened.db.destroy();
    await opened.released();
  });
});
