/*
 * v1 -> v2: the journal recognises a homeserver's retry by its transaction id, not by event id.
 * Compatible with: @trestle/core 0.2.0 and later (schema version 2).
 *
 * Why: the unique index on `journal.event_id` put every journaled event at a random place in a B-tree
 * (event ids are hashes), so each one dirtied its own index page: measured on SQLite, about 45 µs of CPU
 * per event, a third of the bridge's store work per Matrix message. A homeserver retries a transaction
 * under the same id with the same events (Client-Server API, application services: "txnId"), so one row
 * per transaction, written in the same commit as its events, serves the same purpose.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreEngine } from '../store-options';

// Migrations are frozen snapshots: they take an untyped Kysely so later schema changes cannot break them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable('journal_transactions')
    .addColumn('txn_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  if (engine === 'postgres') {
    await sql`alter table journal drop constraint journal_event_id_key`.execute(db);
    return;
  }
  // SQLite cannot drop a constraint: the table is rebuilt, keeping every row, its seq and the sequence.
  await sql`create table journal_v2 (
    seq integer primary key autoincrement,
    room_id text not null,
    event_id text not null,
    event text not null,
    attempts integer not null default 0,
    created_at bigint not null,
    done_at bigint
  )`.execute(db);
  await sql`insert into journal_v2 (seq, room_id, event_id, event, attempts, created_at, done_at)
    select seq, room_id, event_id, event, attempts, created_at, done_at from journal`.execute(db);
  await sql`delete from sqlite_sequence where name = 'journal_v2'`.execute(db);
  await sql`update sqlite_sequence set name = 'journal_v2' where name = 'journal'`.execute(db);
  await sql`drop table journal`.execute(db);
  await sql`alter table journal_v2 rename to journal`.execute(db);
  await db.schema
    .createIndex('journal_pending')
    .on('journal')
    .column('seq')
    .where(sql.ref('done_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('journal_done_at')
    .on('journal')
    .column('done_at')
    .where(sql.ref('done_at'), 'is not', null)
    .execute();
}
