/*
 * v0 -> v1: the initial schema.
 * Compatible with: @trestle/core 0.1.0 and later (schema version 1).
 */
import { sql, type Kysely } from 'kysely';
import type { StoreEngine } from '../store-options';

// Migrations are frozen snapshots: they take an untyped Kysely so later schema changes cannot break them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, engine: StoreEngine): Promise<void> {
  await db.schema
    .createTable('portals')
    .addColumn('room_id', 'text', (c) => c.primaryKey())
    .addColumn('chat_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('plumbed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text')
    .addColumn('topic', 'text')
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ghosts')
    .addColumn('remote_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('avatar_key', 'text')
    .addColumn('avatar_mxc', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('message_map')
    // One Matrix event may become several remote messages (a long message split on Discord), hence `part`.
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('reaction_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_map_pk', ['event_id', 'part'])
    .execute();
  // Parts of a remote message (edits, replies, redactions look these up).
  await db.schema
    .createIndex('message_map_remote_parts')
    .on('message_map')
    .columns(['chat_id', 'remote_id', 'part'])
    .where(sql.ref('reaction_key'), 'is', null)
    .execute();
  // "Which reaction did this sender put on that message with this key" (reaction removal).
  await db.schema
    .createIndex('message_map_reactions')
    .on('message_map')
    .columns(['chat_id', 'remote_id', 'sender', 'reaction_key'])
    .where(sql.ref('reaction_key'), 'is not', null)
    .execute();

  await db.schema
    .createTable('journal')
    .addColumn('seq', engine === 'postgres' ? 'bigint' : 'integer', (c) =>
      // SQLite's AUTOINCREMENT never reuses a sequence number, even after the newest rows are pruned.
      engine === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .execute();
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

  await db.schema
    .createTable('logins')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kv')
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kv_pk', ['namespace', 'key'])
    .execute();
}
