import { Kysely, PostgresDialect } from 'kysely';
import type { CustomTypesConfig } from 'pg';
import type { Logger } from '../log/logger';
import type { StoreDatabase } from './database-schema';
import { StoreError } from './store-error';

const INT8_OID = 20;
const DEFAULT_POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * `bigint` columns (timestamps in ms, sequence numbers, counts) come back as numbers, as they do from
 * SQLite. They stay far below 2^53, so no precision is lost. Scoped to this pool, not pg's global parsers.
 */
function int8AsNumber(pg: typeof import('pg')): CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
  };
}

export interface PostgresConnectionOptions {
  url: string;
  schema: string;
  poolSize?: number;
  log: Logger;
}

/** The URL with its password hidden, for messages and logs. */
export function redactConnectionUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Reject what pg would otherwise misread (a bare host name is taken as a socket path, for example). */
export function validateConnectionUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      'postgres',
      'open',
      'the connection URL is not a URL; expected postgres://user:password@host:5432/database',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreError(
      'postgres',
      'open',
      `the connection URL must start with postgres:// or postgresql://, got "${parsed.protocol}//"`,
    );
  }
}

/** Schema names go into the connection's search_path, so only plain identifiers are accepted. */
export function validateSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError(
      'postgres',
      'open',
      `schema "${schema}" is not a plain lower-case identifier (letters, digits, underscore)`,
    );
  }
}

/**
 * A pool of pg connections whose search_path is the store's schema, so the same unqualified queries and
 * migrations run in whichever schema is configured.
 */
export function openPostgresDatabase(options: PostgresConnectionOptions): Kysely<StoreDatabase> {
  validateConnectionUrl(options.url);
  validateSchemaName(options.schema);
  // Loaded on first use: a bridge on the embedded SQLite store never pays pg's memory (~3 MB).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: `-c search_path=${options.schema}`,
    types: int8AsNumber(pg),
  });
  // An idle connection can be closed by the server (restart, idle timeout); pg drops it from the pool and
  // the next query opens a new one. Without a listener the 'error' event would crash the process.
  pool.on('error', (err) =>
    options.log.warn('idle PostgreSQL connection lost', {
      store: 'postgres',
      url: redactConnectionUrl(options.url),
      err,
    }),
  );
  return new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
}
