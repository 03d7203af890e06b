import { join } from 'node:path';

/** Where Synapse keeps its data: a SQLite file in the data dir, or a PostgreSQL database. */
export type SynapseDatabase = { engine: 'sqlite' } | { engine: 'postgres'; url: string };

/** Everything that varies between test homeservers; the rest of the config is fixed for tests. */
export interface HomeserverConfigInput {
  serverName: string;
  port: number;
  /** Temp dir holding the database (SQLite), media store, signing key and logs. */
  dataDir: string;
  /** Appservice registration files (`app_service_config_files`). */
  registrations: readonly string[];
  database: SynapseDatabase;
  registrationSharedSecret: string;
  /** Secrets Synapse would otherwise derive and store itself; fixed so restarts keep sessions valid. */
  macaroonSecretKey: string;
  formSecret: string;
}

/** Files inside the data dir, named once so the launcher and the config agree. */
export const SYNAPSE_FILES = {
  config: 'homeserver.yaml',
  logConfig: 'log.config.yaml',
  log: 'homeserver.log',
  /** Synapse's own stdout/stderr: config errors land here before logging is set up. */
  console: 'console.log',
  signingKey: 'signing.key',
  sqlite: 'homeserver.db',
  media: 'media',
} as const;

/**
 * Test rate limits: high enough that no test ever meets one. Synapse has no "off" switch, and
 * appservice users are exempt only with `rate_limited: false`; test users are not appservice users.
 */
const UNLIMITED = { per_second: 100_000, burst_count: 100_000 };
const RATE_LIMITS_OFF = {
  rc_message: UNLIMITED,
  rc_registration: UNLIMITED,
  rc_registration_token_validity: UNLIMITED,
  rc_login: { address: UNLIMITED, account: UNLIMITED, failed_attempts: UNLIMITED },
  rc_admin_redaction: UNLIMITED,
  rc_joins: { local: UNLIMITED, remote: UNLIMITED },
  rc_joins_per_room: UNLIMITED,
  rc_3pid_validation: UNLIMITED,
  rc_invites: { per_room: UNLIMITED, per_user: UNLIMITED, per_issuer: UNLIMITED },
  rc_third_party_invite: UNLIMITED,
  rc_media_create: UNLIMITED,
  rc_key_requests: UNLIMITED,
  rc_presence: { per_user: UNLIMITED },
  rc_delayed_event_mgmt: UNLIMITED,
  rc_room_creation: UNLIMITED,
  rc_reports: UNLIMITED,
  rc_user_directory: UNLIMITED,
  rc_profile: UNLIMITED,
};

/** The `database` section; PostgreSQL connection details come from a `postgres://` URL. */
function databaseSection(database: SynapseDatabase, dataDir: string): Record<string, unknown> {
  if (database.engine === 'sqlite') {
    return { name: 'sqlite3', args: { database: join(dataDir, SYNAPSE_FILES.sqlite) } };
  }
  const url = new URL(database.url);
  return {
    name: 'psycopg2',
    args: {
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      dbname: decodeURIComponent(url.pathname.replace(/^\//, '')),
      host: url.hostname,
      port: Number(url.port || 5432),
      cp_min: 1,
      cp_max: 5,
    },
  };
}

/** A complete `homeserver.yaml` (as an object) for a loopback-only test homeserver. */
export function buildHomeserverConfig(input: HomeserverConfigInput): Record<string, unknown> {
  const { dataDir } = input;
  return {
    server_name: input.serverName,
    public_baseurl: `http://127.0.0.1:${input.port}/`,
    pid_file: join(dataDir, 'homeserver.pid'),
    // Client API only: no federation listener, nothing bound beyond loopback.
    listeners: [
      {
        port: input.port,
        bind_addresses: ['127.0.0.1'],
        type: 'http',
        tls: false,
        x_forwarded: false,
        resources: [{ names: ['client'], compress: false }],
      },
    ],
    database: databaseSection(input.database, dataDir),
    log_config: join(dataDir, SYNAPSE_FILES.logConfig),
    signing_key_path: join(dataDir, SYNAPSE_FILES.signingKey),
    media_store_path: join(dataDir, SYNAPSE_FILES.media),
    enable_media_repo: true,
    enable_authenticated_media: true,
    url_preview_enabled: false,
    app_service_config_files: [...input.registrations],
    registration_shared_secret: input.registrationSharedSecret,
    macaroon_secret_key: input.macaroonSecretKey,
    form_secret: input.formSecret,
    enable_registration: false,
    // The default (12) makes each registration and login cost ~0.7 s of CPU.
    bcrypt_rounds: 4,
    report_stats: false,
    enable_metrics: false,
    presence: { enabled: false },
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    ...RATE_LIMITS_OFF,
  };
}

/** Python logging config: WARNING and above, to a file in the data dir. */
export function buildLogConfig(dataDir: string): Record<string, unknown> {
  return {
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s' } },
    handlers: {
      file: {
        class: 'logging.FileHandler',
        formatter: 'precise',
        filename: join(dataDir, SYNAPSE_FILES.log),
      },
    },
    root: { level: 'WARNING', handlers: ['file'] },
    disable_existing_loggers: false,
  };
}
