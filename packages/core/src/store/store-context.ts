import { randomUUID } from 'node:crypto';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import type { RunNow } from './sqlite-session';
import { runStoreOperation, StoreError } from './store-error';
import type { StoreEngine } from './store-options';

/** What {@link StoreContext.write} gives for a write done at once: one promise for all of them. */
const WRITTEN: Promise<void> = Promise.resolve();
const nothing = (): void => undefined;

/** Builds one query for {@link StoreContext.prepared}: `param(name)` marks where a named parameter goes. */
export type QueryBuilder<Row, P extends object> = (
  db: Kysely<StoreDatabase>,
  param: (name: keyof P & string) => never,
) => Compilable<Row>;

/** One statement both ways (see {@link StoreContext.preparedEither}). */
export interface PreparedEither<P extends object, Row = unknown> {
  /** At once, or undefined when the engine cannot run it now. */
  now: (params: P) => Row[] | undefined;
  /** Through the query builder's driver. */
  later: (params: P) => Promise<Row[]>;
}

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
    const { now, later } = this.preparedEither(build);
    return async (params) => now(params) ?? later(params);
  }

  /** A statement compiled once, both ways: {@link preparedNow} and {@link prepared}. For {@link write}. */
  preparedEither<Row, P extends object>(build: QueryBuilder<Row, P>): PreparedEither<P, Row> {
    const { compiled, parametersOf } = this.compile(build);
    const now = this.preparedNowOf(compiled, parametersOf);
    const later = async (params: P) =>
      (await this.db.executeQuery<Row>({ ...compiled, parameters: parametersOf(params) })).rows;
    return { now, later };
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

  /**
   * One write whose rows nobody reads, the cheapest way the engine allows: the statement runs at once when
   * it can ({@link preparedNow}), and the caller gets a promise already settled, without the async frames a
   * hot path pays for thousands of times a second in garbage; otherwise it runs through {@link run}.
   * Failures become a StoreError either way.
   */
  write<P extends object>(operation: string, statement: PreparedEither<P>, params: P): Promise<void> {
    try {
      if (statement.now(params) !== undefined) return WRITTEN;
    } catch (err) {
      return Promise.reject(StoreError.from(this.engine, operation, err));
    }
    return this.run(operation, () => statement.later(params)).then(nothing);
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
