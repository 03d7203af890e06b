/** PostgreSQL helpers for tests: a fresh database per suite on the test server. */
export { createFreshDatabase, DEFAULT_TEST_PG_URL, TestPostgresUnavailableError } from './fresh-database';
export type { FreshDatabase } from './fresh-database';
