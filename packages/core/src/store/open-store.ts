import { sql, type Kysely } from 'kysely';
import { createLogger } from '../log/logger';
import type { StoreDatabase } from './database-schema';
import { KyselyStore } from './kysely-store';
import { DEFAULT_POSTGRES_SCHEMA, migrateStore } from './migrate-store';
import { openPostgresDatabase, redactConnectionUrl } from './postgres-connection';
import { openSqliteDatabase } from './sqlite-connection';
import type { RunNow } from './sqlite-session';
import type { Store } from './store';
import { describeCause, StoreError } from './store-error';
import type { StoreOptions } from './store-options';

/**
 * Open the store: connect, bring the schema up to date (numbered migrations, each applied once), and prune
 * old handled journal entries. Nothing else is read, so opening costs the same with ten portals or ten
 * thousand; everything is looked up when asked for.
 *
 * @throws StoreError naming the engine and `open` (or `migrate`) when the database cannot be reached,
 *   opened or migrated.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { db, makeDurable, runNow, released } = connect(options);
  try {
    await prepare(db, options);
    const store = new KyselyStore(db, options.engine, { makeDurable, runNow, released });
    await store.journal.pruneTransactions();
    makeDurable(); // an opened store holds no write lock until it is used
    return store;
  } catch (err) {
    await db.destroy().catch(() => undefined); // the open failure is the error worth reporting
    await released?.();
    throw err;
  }
}

/** A migrated database for tools that work below the Store API (copying a store between engines). */
export async function connectStore(options: StoreOptions): Promise<Kysely<StoreDatabase>> {
  const { db } = connect(options);
  try {
    await prepare(db, options);
    return db;
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
}

async function prepare(db: Kysely<StoreDatabase>, options: StoreOptions): Promise<void> {
  await checkReachable(db, options);
  await migrateStore(db, options.engine, options.engine === 'postgres' ? options.schema : undefined);
}

function connect(options: StoreOptions): {
  db: Kysely<StoreDatabase>;
  makeDurable: () => void;
  runNow?: RunNow;
  released?: () => Promise<void>;
} {
  const log = (options.log ?? createLogger('info')).child({ component: 'store' });
  if (options.engine === 'sqlite') {
    return openSqliteDatabase(
      options.path,
      options.checkpointWorker === true && {
        onFailure: (err) =>
          log.warn('WAL checkpoints moved back onto the main connection: the worker failed', { err }),
      },
    );
  }
  // Every PostgreSQL statement outside a transaction commits on its own: nothing to flush.
  const db = openPostgresDatabase({
    url: options.url,
    schema: options.schema ?? DEFAULT_POSTGRES_SCHEMA,
    poolSize: options.poolSize,
    log,
  });
  return { db, makeDurable: () => undefined };
}

/** Reach the database before migrating, so an unreachable server is reported as such, with where it is. */
async function checkReachable(db: Kysely<StoreDatabase>, options: StoreOptions): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    const where = options.engine === 'postgres' ? redactConnectionUrl(options.url) : options.path;
    throw new StoreError(options.engine, 'open', `${where}: ${describeCause(err)}`, { cause: err });
  }
}
