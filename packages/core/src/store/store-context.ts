import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { runStoreOperation } from './store-error';
import type { StoreEngine } from './store-options';

/** What every table's repository needs: the query builder and the engine name for errors. */
export class StoreContext {
  constructor(
    readonly db: Kysely<StoreDatabase>,
    readonly engine: StoreEngine,
  ) {}

  /** Run one named operation; failures become a StoreError naming the engine and the operation. */
  run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return runStoreOperation(this.engine, operation, work);
  }

  /**
   * Insert rows all or nothing: one statement when they fit in one, else several in a transaction
   * (a single statement is atomic already, and skipping BEGIN/COMMIT keeps the common case cheap).
   */
  async insertAtomically<T>(
    rows: readonly T[],
    insert: (db: Kysely<StoreDatabase>, batch: T[]) => Promise<unknown>,
  ): Promise<void> {
    const batches = insertBatches(rows);
    if (batches.length === 1) {
      await insert(this.db, batches[0]!);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (const batch of batches) await insert(trx, batch);
    });
  }
}

/**
 * Rows per multi-row INSERT. Keeps every statement under both engines' bind-parameter limits
 * (SQLite 32,766; PostgreSQL 65,535) for tables of up to ~60 columns.
 */
const ROWS_PER_INSERT = 500;

/** Split rows into INSERT-sized batches. */
function insertBatches<T>(rows: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) batches.push(rows.slice(i, i + ROWS_PER_INSERT));
  return batches;
}
