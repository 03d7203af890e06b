import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { StoreError } from './store-error';
import { SqliteSession, type RunNow } from './sqlite-session';
import { WalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer';

/** SQLite's own default, restored on the main connection if the checkpoint worker fails. */
const AUTOMATIC_CHECKPOINT_PAGES = 1_000;

/** File name used when the configured SQLite path is a folder. */
export const SQLITE_FILE_IN_FOLDER = 'trestle.db';

/**
 * Where the SQLite database lives: the path itself, or `trestle.db` inside it when it is an existing folder
 * or ends with a separator. Parent folders are created.
 */
export function resolveSqliteFile(path: string): string {
  if (path === ':memory:') return path;
  const isFolder =
    path.endsWith('/') || path.endsWith(sep) || (existsSync(path) && statSync(path).isDirectory());
  const file = isFolder ? join(path, SQLITE_FILE_IN_FOLDER) : path;
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** A SQLite database opened for the store. */
export interface OpenedSqliteDatabase {
  db: Kysely<StoreDatabase>;
  /** Commit the open group of writes now. */
  makeDurable: () => void;
  runNow: RunNow;
  /**
   * Resolves once everything beside the connection is shut down too (the checkpoint worker has checkpointed
   * and closed). `db.destroy()` starts that; await this after it.
   */
  released: () => Promise<void>;
}

/**
 * Open (creating if needed) a SQLite database through better-sqlite3, tuned for a bridge's write load.
 * `checkpoints` starts the WAL checkpoint worker with those settings (tests make it quick); `false`, the
 * default, leaves checkpoints to SQLite on the main connection (no worker, ~14 MB less memory).
 */
export function openSqliteDatabase(
  path: string,
  checkpoints: WalCheckpointerOptions | false = false,
): OpenedSqliteDatabase {
  let database: Database.Database;
  let file: string;
  try {
    file = resolveSqliteFile(path);
    database = new Database(file);
    // WAL lets readers run beside the writer; NORMAL syncs at checkpoints only, which in WAL mode can lose
    // the last commits on power loss but never corrupts the database. The homeserver resends unanswered
    // transactions, so that window loses nothing it would not replay.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    if (file !== ':memory:' && checkpoints) database.pragma('wal_autocheckpoint = 0'); // the worker does
  } catch (err) {
    throw new StoreError('sqlite', 'open', `cannot open database at "${path}": ${(err as Error).message}`, {
      cause: err,
    });
  }
  const checkpointer =
    file === ':memory:' || !checkpoints ? undefined : startCheckpointer(database, file, checkpoints);
  const released = () => checkpointer?.stop() ?? Promise.resolve();
  const session = new SqliteSession(database, () => void released());
  return {
    db: new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: session.database }) }),
    makeDurable: () => session.commit(),
    runNow: session.runNow,
    released,
  };
}

/** If the worker fails, the main connection checkpoints again, as SQLite does by default: slower, bounded. */
function startCheckpointer(
  database: Database.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  return WalCheckpointer.start(file, {
    ...options,
    onFailure: (err) => {
      if (database.open) database.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
      options.onFailure?.(err);
    },
  });
}
