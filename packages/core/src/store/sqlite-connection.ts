import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { StoreError } from './store-error';
import { SqliteSession, type RunNow } from './sqlite-session';

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

/** Open (creating if needed) a SQLite database through better-sqlite3, tuned for a bridge's write load. */
export function openSqliteDatabase(path: string): {
  db: Kysely<StoreDatabase>;
  makeDurable: () => void;
  runNow: RunNow;
} {
  let database: Database.Database;
  try {
    database = new Database(resolveSqliteFile(path));
    // WAL lets readers run beside the writer; NORMAL syncs at checkpoints only, which in WAL mode can lose
    // the last commits on power loss but never corrupts the database. The homeserver resends unanswered
    // transactions, so that window loses nothing it would not replay.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new StoreError('sqlite', 'open', `cannot open database at "${path}": ${(err as Error).message}`, {
      cause: err,
    });
  }
  const session = new SqliteSession(database);
  return {
    db: new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: session.database }) }),
    makeDurable: () => session.commit(),
    runNow: session.runNow,
  };
}
