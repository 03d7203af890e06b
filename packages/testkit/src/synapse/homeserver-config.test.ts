import { describe, expect, it } from '@jest/globals';
import { buildHomeserverConfig, type HomeserverConfigInput } from './homeserver-config';

const base: HomeserverConfigInput = {
  serverName: 'hs.test',
  port: 18008,
  dataDir: '/tmp/hs',
  registrations: ['/tmp/irc.yaml'],
  database: { engine: 'sqlite' },
  registrationSharedSecret: 's3cret',
  macaroonSecretKey: 'mac',
  formSecret: 'form',
};

describe('buildHomeserverConfig', () => {
  it('listens for the client API on loopback only, with no federation listener', () => {
    const config = buildHomeserverConfig(base);
    expect(config.listeners).toEqual([
      expect.objectContaining({
        port: 18008,
        bind_addresses: ['127.0.0.1'],
        resources: [{ names: ['client'], compress: false }],
      }),
    ]);
    expect(config.trusted_key_servers).toEqual([]);
  });

  it('loads the given appservice registrations and keeps open registration off', () => {
    const config = buildHomeserverConfig(base);
    expect(config.app_service_config_files).toEqual(['/tmp/irc.yaml']);
    expect(config.enable_registration).toBe(false);
    expect(config.registration_shared_secret).toBe('s3cret');
  });

  it('lifts every rate limit far beyond what a test sends', () => {
    const config = buildHomeserverConfig(base);
    const limits = Object.keys(config).filter((key) => key.startsWith('rc_'));
    expect(limits).toEqual(
      expect.arrayContaining(['rc_message', 'rc_login', 'rc_joins', 'rc_invites', 'rc_admin_redaction']),
    );
    expect(config.rc_message).toEqual({ per_second: 100_000, burst_count: 100_000 });
  });

  it('keeps SQLite and media inside the data dir', () => {
    const config = buildHomeserverConfig(base);
    expect(config.database).toEqual({ name: 'sqlite3', args: { database: '/tmp/hs/homeserver.db' } });
    expect(config.media_store_path).toBe('/tmp/hs/media');
    expect(config.enable_authenticated_media).toBe(true);
  });

  it('turns a postgres URL into psycopg2 connection arguments', () => {
    const config = buildHomeserverConfig({
      ...base,
      database: { engine: 'postgres', url: 'postgres://postgres:p%40ss@127.0.0.1:5433/trestle_synapse_1' },
    });
    expect(config.database).toEqual({
      name: 'psycopg2',
      args: expect.objectContaining({
        user: 'postgres',
        password: 'p@ss',
        dbname: 'trestle_synapse_1',
        host: '127.0.0.1',
        port: 5433,
      }),
    });
  });
});
