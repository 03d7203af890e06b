import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { exampleNetworkSchema } from './example-network.fixture';
import { ConfigError, loadConfig, parseConfig } from './index';

const options = { network: 'irc', defaults: { port: 9999 } };

const minimal = `
homeserver:
  url: http://localhost:8008
  domain: example.org
appservice:
  url: http://localhost:9999
network:
  servers:
    - name: libera
      host: irc.libera.chat
`;

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}, baseDir?: string): string[] {
  try {
    parseConfig(text, exampleNetworkSchema, { ...options, env, baseDir });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.split('\n');
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('fills in every default from a minimal config', () => {
    const config = parseConfig(minimal, exampleNetworkSchema, options);
    expect(config.appservice).toEqual({
      id: 'irc',
      bind_address: '127.0.0.1',
      port: 9999,
      url: 'http://localhost:9999',
      bot_username: 'ircbot',
      user_prefix: 'irc_',
      ghost_display_name: '{name}',
      alias_prefix: 'irc_',
      registration: './registration.yaml',
    });
    expect(config.database).toEqual({
      engine: 'sqlite',
      path: './data/trestle.sqlite',
      checkpoint_worker: false,
    });
    expect(config.bridge).toEqual({
      command_prefix: '!irc',
      delivery: { max_attempts: 5, initial_backoff_ms: 500, max_backoff_ms: 30000, max_outage_seconds: 3600 },
      public_media: { enabled: false },
    });
    expect(config.metrics).toEqual({ enabled: true, bind_address: '127.0.0.1', port: 10000 });
    expect(config.logging.level).toBe('info');
    expect(config.network.servers[0]).toEqual({ name: 'libera', host: 'irc.libera.chat', port: 6697 });
  });

  it("lets only the homeserver's own users in, at level user, when permissions are left out", () => {
    expect(parseConfig(minimal, exampleNetworkSchema, options).permissions).toEqual({
      'example.org': 'user',
    });
  });

  it('reports every problem at once, each naming its key and what was expected', () => {
    const text = `
homeserver:
  domain: "not a domain"
appservice:
  url: localhost:9999
  port: abc
  bind_adress: 0.0.0.0
database:
  engine: mysql
bridge:
  delivery:
    max_attempts: 0
network:
  servers:
    - name: libera
      host: irc.libera.chat
      port: 70000
`;
    expect(problemsOf(text)).toEqual([
      'homeserver.url: required key is missing (expected an http:// or https:// URL)',
      'homeserver.domain: expected a Matrix server name such as example.org, got "not a domain"',
      'appservice.bind_adress: unknown key (did you mean "bind_address"?)',
      'appservice.port: expected integer between 1 and 65535, got "abc"',
      'appservice.url: expected an http:// or https:// URL, got "localhost:9999"',
      'database.engine: expected one of "sqlite", "postgres", got "mysql"',
      'bridge.delivery.max_attempts: expected integer between 1 and 100, got 0',
      'network.servers[0].port: expected integer between 1 and 65535, got 70000',
    ]);
  });

  it('rejects unknown top-level sections, listing the known ones when nothing is close', () => {
    expect(problemsOf(`${minimal}\nfrobnicate: 1\n`)).toEqual([
      'frobnicate: unknown key (known keys: homeserver, appservice, database, permissions, bridge, metrics, logging, network)',
    ]);
  });

  it('names bad permission keys and levels with the key quoted', () => {
    const text = `${minimal}\npermissions:\n  "*": relay\n  "not valid!": user\n  "@alice:example.org": root\n`;
    expect(problemsOf(text)).toEqual([
      'permissions["@alice:example.org"]: expected one of "relay", "user", "admin", got "root"',
      'permissions["not valid!"]: not a valid key here (expected "*", a server name such as example.org, or a user id such as @alice:example.org)',
    ]);
  });

  it('requires a URL for postgres, and checks keys that depend on each other', () => {
    const text = `${minimal}\ndatabase:\n  engine: postgres\nbridge:\n  delivery:\n    initial_backoff_ms: 5000\n    max_backoff_ms: 1000\nmetrics:\n  port: 9999\n`;
    expect(problemsOf(text)).toEqual([
      'database.url: required when database.engine is "postgres"',
      'bridge.delivery.initial_backoff_ms: must not exceed bridge.delivery.max_backoff_ms (5000 > 1000)',
      'metrics.port: must differ from appservice.port (both are 9999)',
    ]);
  });

  it('refuses public media without the external URL and signing key it needs', () => {
    const text = `${minimal}\nbridge:\n  public_media:\n    enabled: true\n`;
    expect(problemsOf(text)).toEqual([
      'bridge.public_media.external_url: required when public_media is enabled',
      'bridge.public_media.signing_key: required when public_media is enabled',
    ]);
  });

  it('reads secrets from environment variables, converting numbers where the schema wants them', () => {
    const text = `${minimal}      password: !env IRC_PASSWORD\ndatabase:\n  engine: postgres\n  url: !env DB_URL\nmetrics:\n  port: !env METRICS_PORT\n`;
    const config = parseConfig(text, exampleNetworkSchema, {
      ...options,
      env: { IRC_PASSWORD: 's3cret', DB_URL: 'postgresql://u:p@db/trestle', METRICS_PORT: '9102' },
    });
    expect(config.network.servers[0]!.password).toBe('s3cret');
    expect(config.database.url).toBe('postgresql://u:p@db/trestle');
    expect(config.metrics.port).toBe(9102);
  });

  it('names the key whose environment variable is missing, once', () => {
    const text = minimal.replace('url: http://localhost:9999', 'url: !env AS_URL');
    expect(problemsOf(text)).toEqual(['appservice.url: environment variable AS_URL is not set']);
  });

  it('reads secrets from files relative to the config folder, without the trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trestle-config-'));
    writeFileSync(join(dir, 'irc-password'), 'from-a-file\n');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, `${minimal}      password: !file irc-password\n`);
    expect(loadConfig(file, exampleNetworkSchema, options).network.servers[0]!.password).toBe('from-a-file');
  });

  it('names the key whose secret file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trestle-config-'));
    expect(problemsOf(`${minimal}      password: !file missing-secret\n`, {}, dir)).toEqual([
      `network.servers[0].password: cannot read secret file ${join(dir, 'missing-secret')} (ENOENT)`,
    ]);
  });

  it('treats a misspelt tag as a problem instead of a literal string', () => {
    expect(problemsOf(`${minimal}      password: !envv IRC_PASSWORD\n`)).toEqual([
      'YAML line 11, column 17: Unresolved tag: !envv',
    ]);
  });

  it('reports YAML syntax errors with their position and nothing else', () => {
    expect(problemsOf('homeserver:\n  url: [unclosed\n')).toEqual([
      expect.stringMatching(/^YAML line \d+, column \d+: /),
    ]);
  });
});

describe('loadConfig', () => {
  it('says which file it could not read', () => {
    const file = join(tmpdir(), 'trestle-no-such-config.yaml');
    expect(() => loadConfig(file, exampleNetworkSchema, options)).toThrow(
      `cannot read config file ${file} (ENOENT)`,
    );
  });

  it('attaches the file name to the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trestle-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'logging:\n  level: loud\n');
    try {
      loadConfig(file, exampleNetworkSchema, options);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).file).toBe(file);
      expect((err as ConfigError).problems).toContainEqual({
        key: 'logging.level',
        message: 'expected one of "debug", "info", "warn", "error", got "loud"',
      });
    }
  });
});
