import { Client } from 'pg';
import { createFreshDatabase, DEFAULT_TEST_PG_URL } from '../postgres/fresh-database';

/** A PostgreSQL database Synapse accepts, dropped with `drop()`. */
export interface SynapsePostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A fresh PostgreSQL database for Synapse.
 *
 * Synapse refuses any collation or ctype but `C` (Debian's clusters default to `C.UTF-8`, which it
 * also refuses), so when the fresh database is not `C` it is recreated under the same name from
 * `template0` with `LC_COLLATE 'C' LC_CTYPE 'C'`; the fresh database's own `drop()` still removes it.
 */
export async function createSynapseDatabase(): Promise<SynapsePostgresDatabase> {
  const fresh = await createFreshDatabase('synapse');
  try {
    if (!(await hasCLocale(fresh.url))) await recreateWithCLocale(fresh.url);
  } catch (error) {
    await fresh.drop();
    throw error;
  }
  return fresh;
}

async function hasCLocale(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datcollate: string; datctype: string }>(
      'SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()',
    );
    return rows[0]?.datcollate === 'C' && rows[0]?.datctype === 'C';
  } finally {
    await client.end();
  }
}

async function recreateWithCLocale(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  // The same server URL createFreshDatabase used to create it.
  const client = new Client({ connectionString: process.env.TRESTLE_TEST_PG_URL ?? DEFAULT_TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE ${quoteIdentifier(name)}`);
    await client.query(
      `CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
  } finally {
    await client.end();
  }
}
