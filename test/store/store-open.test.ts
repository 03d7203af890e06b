/**
 * What an admin sees when opening the store: where SQLite puts its file, how a bad PostgreSQL setting is
 * reported, and how a schema keeps two bridges apart in one database.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreError } from '../../packages/core/src/store';
import { createFreshDatabase, type FreshDatabase } from '../../packages/testkit/src/postgres';

describe('opening a SQLite store', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trestle-open-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates trestle.db inside a folder path, creating missing folders', async () => {
    const folder = join(dir, 'data', 'bridge') + '/';
    const store = await openStore({ engine: 'sqlite', path: folder });
    await store.close();
    expect(existsSync(join(folder, 'trestle.db'))).toBe(true);
  });

  it('uses a file path as the database file', async () => {
    const file = join(dir, 'deep', 'irc.sqlite');
    const store = await openStore({ engine: 'sqlite', path: file });
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('fails with a StoreError naming the engine, the operation and the path when the path is unusable', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const opening = openStore({ engine: 'sqlite', path: join(blocker, 'store.db') });
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ engine: 'sqlite', operation: 'open' });
    await expect(opening).rejects.toThrow(/^sqlite store: open failed: .*a-file/);
  });
});

describe('opening a PostgreSQL store', () => {
  let database: FreshDatabase;
  beforeAll(async () => {
    database = await createFreshDatabase('store_open');
  });
  afterAll(() => database?.drop());

  it('rejects a connection string that is not a postgres:// URL', async () => {
    await expect(openStore({ engine: 'postgres', url: 'localhost:5432/trestle' })).rejects.toThrow(
      'postgres store: open failed: the connection URL must start with postgres:// or postgresql://',
    );
    await expect(openStore({ engine: 'postgres', url: 'not a url' })).rejects.toThrow(/is not a URL/);
  });

  it('reports an unreachable server with its address, hiding the password', async () => {
    const opening = openStore({ engine: 'postgres', url: 'postgres://bridge:s3cret@127.0.0.1:1/trestle' });
    await expect(opening).rejects.toMatchObject({ engine: 'postgres', operation: 'open' });
    await expect(opening).rejects.toThrow(/127\.0\.0\.1:1.*ECONNREFUSED/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('reports a database that does not exist', async () => {
    const url = new URL(database.url);
    url.pathname = '/no_such_database_here';
    await expect(openStore({ engine: 'postgres', url: url.toString() })).rejects.toThrow(
      /postgres store: open failed: .*database "no_such_database_here" does not exist/,
    );
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      openStore({ engine: 'postgres', url: database.url, schema: 'x; drop table y' }),
    ).rejects.toThrow(/schema "x; drop table y" is not a plain lower-case identifier/);
  });

  it('keeps two bridges in different schemas of one database apart', async () => {
    const irc = await openStore({ engine: 'postgres', url: database.url, schema: 'bridge_irc' });
    const discord = await openStore({ engine: 'postgres', url: database.url, schema: 'bridge_discord' });
    try {
      await irc.kv.set('cursor', 'position', 'irc');
      await discord.kv.set('cursor', 'position', 'discord');
      expect(await irc.kv.get('cursor', 'position')).toBe('irc');
      expect(await discord.kv.get('cursor', 'position')).toBe('discord');
    } finally {
      await irc.close();
      await discord.close();
    }
  });
});
