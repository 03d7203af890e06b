import { Migrator, type Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { storeMigrations } from './migrations';
import { describeCause, StoreError } from './store-error';
import type { StoreEngine } from './store-options';

/** The PostgreSQL schema used when none is configured. */
export const DEFAULT_POSTGRES_SCHEMA = 'public';

/**
 * Apply the migrations not yet applied, in order. Safe to run at every start and from several processes
 * at once: Kysely records applied migrations and takes a lock while migrating.
 *
 * @param schema PostgreSQL only: the schema holding the tables (default `public`).
 * @throws StoreError (`migrate`) naming the migration that failed.
 */
export async function migrateStore(
  db: Kysely<StoreDatabase>,
  engine: StoreEngine,
  schema?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: storeMigrations(engine),
    // Kysely looks for its bookkeeping table in every schema unless told which one is ours.
    ...(engine === 'postgres' && { migrationTableSchema: schema ?? DEFAULT_POSTGRES_SCHEMA }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  const detail = failed ? `migration ${failed}: ${describeCause(error)}` : describeCause(error);
  throw new StoreError(engine, 'migrate', detail, { cause: error });
}
