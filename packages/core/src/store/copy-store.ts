/**
 * Copy a bridge's data from one store to another — how an admin moves from the embedded SQLite store to
 * PostgreSQL (or back). Run it with the bridge stopped. Rows already in the target are kept; handled journal
 * entries are not copied (they only matter for minutes after they are handled).
 */
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { connectStore } from './open-store';
import type { StoreOptions } from './store-options';

const PAGE = 1000;

/** Rows copied per table. */
export type CopyReport = Record<'portals' | 'ghosts' | 'message_map' | 'journal' | 'logins' | 'kv', number>;

export async function copyStore(from: StoreOptions, to: StoreOptions): Promise<CopyReport> {
  const source = await connectStore(from);
  const target = await connectStore(to);
  try {
    const report: CopyReport = {
      portals: await copyTable(source, target, 'portals', ['room_id']),
      ghosts: await copyTable(source, target, 'ghosts', ['remote_id']),
      message_map: await copyTable(source, target, 'message_map', ['event_id', 'part']),
      logins: await copyTable(source, target, 'logins', ['user_id']),
      kv: await copyTable(source, target, 'kv', ['namespace', 'key']),
      journal: await copyPendingJournal(source, target),
    };
    return report;
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

type CopiedTable = 'portals' | 'ghosts' | 'message_map' | 'logins' | 'kv';

async function copyTable(
  source: Kysely<StoreDatabase>,
  target: Kysely<StoreDatabase>,
  table: CopiedTable,
  key: string[],
): Promise<number> {
  let copied = 0;
  for (let offset = 0; ; offset += PAGE) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one loop over tables of different shapes
    const db = source as Kysely<any>;
    const rows = await db.selectFrom(table).selectAll().orderBy(key).limit(PAGE).offset(offset).execute();
    if (rows.length === 0) return copied;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (target as Kysely<any>)
      .insertInto(table)
      .values(rows)
      .onConflict((oc) => oc.columns(key).doNothing())
      .execute();
    copied += rows.length;
  }
}

/** Pending journal entries keep their order; the target numbers them anew. */
async function copyPendingJournal(
  source: Kysely<StoreDatabase>,
  target: Kysely<StoreDatabase>,
): Promise<number> {
  const rows = await source
    .selectFrom('journal')
    .select(['room_id', 'event_id', 'event', 'created_at'])
    .orderBy('seq')
    .execute();
  for (const row of rows) {
    const already = await target
      .selectFrom('journal')
      .select('seq')
      .where('event_id', '=', row.event_id)
      .executeTakeFirst();
    if (!already) await target.insertInto('journal').values(row).execute();
  }
  return rows.length;
}
