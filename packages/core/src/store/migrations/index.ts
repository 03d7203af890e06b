/**
 * The store's migrations, in order. Each file is numbered (`NNNN-name.ts`), says in its header which
 * release it is compatible with, and is never edited once released: schema changes get a new file.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreEngine } from '../store-options';
import * as initial from './0001-initial';
import * as journalTransactions from './0002-journal-transactions';
import * as handledEventsDeleted from './0003-handled-events-deleted';

const migrations = {
  '0001-initial': initial,
  '0002-journal-transactions': journalTransactions,
  '0003-handled-events-deleted': handledEventsDeleted,
};

/** A Kysely migration provider for one engine (a few DDL statements differ, e.g. the journal's sequence). */
export function storeMigrations(engine: StoreEngine): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(migrations).map(([name, m]): [string, Migration] => [
          name,
          { up: (db) => m.up(db, engine) },
        ]),
      ),
  };
}
