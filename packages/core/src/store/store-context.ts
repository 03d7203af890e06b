import { randomUUID } from 'node:crypto';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import type { RunNow } from './sqlite-session';
import { runStoreOperation } from './store-error';
import type { StoreEngine } from './store-options';

/** Builds one query for {@link StoreContext.prepared}: `param(name)` marks where a named parameter goes. */
export type QueryBuilder<Row, P extends object> = (
  db: Kysely<StoreDatabase>,
  param: (name: keyof P & string) => never,
) => Compilable<Row>;

/** What every table's repository needs: the query builder and the engine name for errors. */
export class StoreContext {
  constructor(
    readonly db: Kysely<StoreDatabase>,
    readonly engine: StoreEngine,
    /** Commit any writes the engine is still grouping (SQLite group commit); a no-op elsewhere. */
    readonly makeDurable: () => void = () => undefined,
    /**
     * Runs a compiled statement synchronously on the engine's one connection when it can (SQLite), skipping
     * the driver's connection queue; undefined from it means "not now, go through Kysely".
     */
    private readonly runNow?: RunNow,
  ) {}

  /**
   * A query built and compiled once, then run with fresh parameters: for the hot paths, where Kysely's
   * per-call building and compiling cost more than the database work itself. `build` receives `param(name)`
   * to mark where each named parameter goes.
   */
  prepared<Row, P extends object>(build: QueryBuilder<Row, P>): (params: P) => Promise<Row[]> {
    const { compiled, parametersOf } = this.compile(build);
    const runNow = this.preparedNowOf(compiled, parametersOf);
    return async (params) => {
      const rows = runNow(params);
      if (rows) return rows;
      return (await this.db.executeQuery<Row>({ ...compiled, parameters: parametersOf(params) })).rows;
    };
  }

  /**
   * {@link prepared}, run synchronously on the engine's connection: the rows, or undefined, running nothing,
   * when the engine cannot run it at once (PostgreSQL, or an explicit transaction holds the SQLite
   * connection). Statements run back to back this way, with no await between them, land in the same commit.
   */
  preparedNow<Row, P extends object>(build: QueryBuilder<Row, P>): (params: P) => Row[] | undefined {
    const { compiled, parametersOf } = this.compile(build);
    return this.preparedNowOf(compiled, parametersOf);
  }

  private preparedNowOf<Row, P extends object>(
    compiled: CompiledQuery<Row>,
    parametersOf: (params: P) => unknown[],
  ): (params: P) => Row[] | undefined {
    const runNow = this.runNow;
    if (!runNow) return () => undefined;
    return (params) => runNow(compiled.sql, parametersOf(params)) as Row[] | undefined;
  }

  private compile<Row, P extends object>(build: QueryBuilder<Row, P>) {
    const tag = `trestle-param-${randomUUID()}:`;
    const marker = (name: string) => `${tag}${name}` as never;
    const compiled: CompiledQuery<Row> = build(this.db, marker).compile();
    const slots = compiled.parameters.map((value) => {
      const isMarker = typeof value === 'string' && value.startsWith(tag);
      return isMarker
        ? { name: value.slice(tag.length), fixed: undefined }
        : { name: undefined, fixed: value };
    });
    const parametersOf = (params: P) => {
      const values = params as Record<string, unknown>;
      return slots.map((slot) => (slot.name !== undefined ? values[slot.name] : slot.fixed));
    };
    return { compiled, parametersOf };
  }

  /** Run one named operation; failures become a StoreError naming the engine and the operation. */
  run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return runStoreOperation(this.engine, operation, work);
  }

  /**
   * Insert rows all or nothing: one statement when they fit in one, else several in a transaction
   * (a single statement is atomic already, and skipping BEGIN/COMMIT keeps the common case cheap).
   */
  async insertAtomically<T, R = unknown>(
    rows: readonly T[],
    insert: (db: Kysely<StoreDatabase>, batch: T[]) => Promise<R[]>,
  ): Promise<R[]> {
    const batches = insertBatches(rows);
    if (batches.length === 1) return insert(this.db, batches[0]!);
    return this.db.transaction().execute(async (trx) => {
      const results: R[] = [];
      for (const batch of batches) results.push(...(await insert(trx, batch)));
      return results;
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
