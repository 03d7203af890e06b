import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests use, unless `TRESTLE_TEST_PG_URL` names another one. */
export const DEFAULT_TEST_PG_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** A throwaway database on the test server. */
export interface FreshDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Drop the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** The test PostgreSQL server could not be reached or refused to create a database. */
export class TestPostgresUnavailableError extends Error {
  override readonly name = 'TestPostgresUnavailableError';
}

/**
 * Create a uniquely named, empty database on the test PostgreSQL server (`TRESTLE_TEST_PG_URL`, default
 * {@link DEFAULT_TEST_PG_URL}; the URL's user needs CREATEDB). Throws when the server cannot be reached:
 * a test that needs PostgreSQL fails loudly rather than skipping.
 */
export async function createFreshDatabase(prefix = 'trestle_test'): Promise<FreshDatabase> {
  const serverUrl = process.env.TRESTLE_TEST_PG_URL ?? DEFAULT_TEST_PG_URL;
  const name = `${sanitizePrefix(prefix)}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, `create database ${name}`, (client) =>
    client.query(`CREATE DATABASE "${name}"`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(serverUrl, `drop database ${name}`, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ),
  };
}

async function withAdminClient(serverUrl: string, what: string, work: (client: Client) => Promise<unknown>) {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new TestPostgresUnavailableError(
      `cannot reach the test PostgreSQL server at ${redact(serverUrl)} to ${what}: ${describe(err)}. ` +
        'Start it (e.g. `pg_ctlcluster 15 main start`) or set TRESTLE_TEST_PG_URL.',
      { cause: err },
    );
  }
  try {
    await work(client);
  } catch (err) {
    throw new TestPostgresUnavailableError(`could not ${what} on ${redact(serverUrl)}: ${describe(err)}`, {
      cause: err,
    });
  } finally {
    await client.end();
  }
}

/** Database names are unquoted identifiers here, so keep the prefix to lower-case letters, digits and _. */
function sanitizePrefix(prefix: string): string {
  return (
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 30) || 'trestle_test'
  );
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(describe).join('; ');
  return err instanceof Error ? err.message || err.name : String(err);
}
