import type { Logger } from '../log/logger';

/** Which database engine a store runs on. */
export type StoreEngine = 'sqlite' | 'postgres';

/**
 * How to open the store.
 *
 * - `sqlite` (embedded default): `path` is a database file, or a folder (an existing directory, or a path
 *   ending in `/`) that gets `trestle.db` inside. Missing parent folders are created. `:memory:` keeps
 *   everything in memory (tests).
 * - `postgres`: `url` is a libpq-style connection URL (`postgres://user:password@host:5432/database`).
 *   `schema` (default `public`) holds every table, so several bridges can share one database;
 *   `poolSize` caps the connections (default 10).
 *
 * `log` receives connection problems that happen between queries (an idle PostgreSQL connection
 * dropped by the server); it defaults to JSON lines on stderr.
 */
export type StoreOptions =
  | {
      engine: 'sqlite';
      path: string;
      log?: Logger;
      /**
       * Run WAL checkpoints in a worker thread, off the event loop: 10–50 % more messages per second by
       * the clock on a busy bridge, for about 14 MB more memory (the worker's own V8). Default false:
       * SQLite checkpoints on the main connection.
       */
      checkpointWorker?: boolean;
    }
  | { engine: 'postgres'; url: string; schema?: string; poolSize?: number; log?: Logger };
