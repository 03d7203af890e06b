import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { findFreePort } from '../ports';
import { SynapseStartError } from './errors';
import {
  buildHomeserverConfig,
  buildLogConfig,
  SYNAPSE_FILES,
  type HomeserverConfigInput,
  type SynapseDatabase,
} from './homeserver-config';
import { readSynapseLogTail } from './log-tail';
import { registerWithSharedSecret, type RegisteredMatrixUser } from './shared-secret-registration';
import { generateSigningKey } from './signing-key';
import { createSynapseDatabase, type SynapsePostgresDatabase } from './synapse-database';
import { SynapseProcess } from './synapse-process';
import { synapsePython, synapseVenvPath } from './synapse-venv';

/** How to start a test homeserver. */
export interface StartSynapseOptions {
  /** Appservice registration files to load (`app_service_config_files`). */
  registrations?: string[];
  /** Keep Synapse's data in a fresh PostgreSQL database instead of SQLite. */
  postgres?: boolean;
  /** The homeserver's domain, the part after `:` in user ids. Default `localhost`. */
  serverName?: string;
  /** How long to wait for the client API to answer. Default 60 s (CI machines are shared and slow). */
  startTimeoutMs?: number;
  /** The virtualenv with Synapse. Default `TRESTLE_SYNAPSE_VENV` or `~/.cache/trestle/synapse-venv`. */
  venv?: string;
}

/** A running test homeserver. */
export interface SynapseHandle {
  /** Client-server API base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly serverName: string;
  /** Temp dir with the config, logs, media store and (for SQLite) the database. */
  readonly dataDir: string;
  /** The registration files currently loaded. */
  readonly registrations: readonly string[];
  /** Milliseconds the last (re)start took until the client API answered. */
  readonly startupMs: number;
  /**
   * Create a user through the shared-secret admin API and log them in.
   * @param password - Default: a random one (returned in the result).
   * @param admin - Make the user a server admin. Default false.
   */
  registerUser(localpart: string, password?: string, admin?: boolean): Promise<RegisteredMatrixUser>;
  /**
   * Stop and start Synapse on the same port with the same data; pass `registrations` to replace the
   * loaded registration files (Synapse reads them only at start-up).
   */
  restart(changes?: { registrations?: string[] }): Promise<void>;
  /** Stop Synapse (SIGTERM, SIGKILL after 10 s), drop its PostgreSQL database, remove the temp dir. */
  stop(): Promise<void>;
  /** The last lines of Synapse's log and console output, for test failure messages. */
  logTail(lines?: number): string;
}

const PORT_ATTEMPTS = 3;

function looksLikePortClash(error: unknown): boolean {
  return error instanceof SynapseStartError && /Address already in use|CannotListenError/.test(error.logTail);
}

class RunningSynapse implements SynapseHandle {
  private process: SynapseProcess | undefined;
  private stopped = false;
  startupMs = 0;

  constructor(
    private readonly python: string,
    private readonly startTimeoutMs: number,
    private config: HomeserverConfigInput,
    private readonly database: SynapsePostgresDatabase | undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.config.port}`;
  }
  get serverName(): string {
    return this.config.serverName;
  }
  get dataDir(): string {
    return this.config.dataDir;
  }
  get registrations(): readonly string[] {
    return this.config.registrations;
  }

  /** Write the config and start; on a first start, retry on another port if the chosen one was taken. */
  async start(portAttempts: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.writeConfig();
      const startedAt = performance.now();
      try {
        this.process = await SynapseProcess.start({
          python: this.python,
          dataDir: this.dataDir,
          url: this.url,
          startTimeoutMs: this.startTimeoutMs,
        });
        this.startupMs = Math.round(performance.now() - startedAt);
        return;
      } catch (error) {
        if (attempt >= portAttempts || !looksLikePortClash(error)) throw error;
        this.config = { ...this.config, port: await findFreePort() };
      }
    }
  }

  private async writeConfig(): Promise<void> {
    await writeFile(join(this.dataDir, SYNAPSE_FILES.config), stringify(buildHomeserverConfig(this.config)));
  }

  registerUser(localpart: string, password = randomBytes(12).toString('hex'), admin = false) {
    return registerWithSharedSecret(this.url, this.config.registrationSharedSecret, {
      localpart,
      password,
      admin,
    });
  }

  async restart(changes: { registrations?: string[] } = {}): Promise<void> {
    if (this.stopped) throw new Error('restart() after stop(): start a new Synapse instead');
    await this.process?.stop();
    if (changes.registrations) {
      this.config = { ...this.config, registrations: changes.registrations.map((file) => resolve(file)) };
    }
    // Same port: bridges under test have the URL in their config.
    await this.start(1);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.process?.stop();
    await this.database?.drop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  logTail(lines = 40): string {
    return readSynapseLogTail(this.dataDir, lines);
  }
}

/**
 * Start a real Synapse on a free loopback port, configured for tests: no federation, rate limits
 * lifted, open registration off (users come from {@link SynapseHandle.registerUser}), authenticated
 * media on, logs at WARNING in the temp dir. Takes ~3 s on the 2-core CI machine.
 *
 * @throws {@link SynapseNotInstalledError} when the virtualenv is missing, and
 *   {@link SynapseStartError} (with the log tail) when Synapse exits or does not answer in time.
 */
export async function startSynapse(options: StartSynapseOptions = {}): Promise<SynapseHandle> {
  const python = synapsePython(options.venv ?? synapseVenvPath());
  const dataDir = await mkdtemp(join(tmpdir(), 'trestle-synapse-'));
  let database: SynapsePostgresDatabase | undefined;
  let synapse: RunningSynapse | undefined;
  try {
    await mkdir(join(dataDir, SYNAPSE_FILES.media));
    await writeFile(join(dataDir, SYNAPSE_FILES.signingKey), generateSigningKey());
    await writeFile(join(dataDir, SYNAPSE_FILES.logConfig), stringify(buildLogConfig(dataDir)));
    database = options.postgres ? await createSynapseDatabase() : undefined;
    const databaseConfig: SynapseDatabase = database
      ? { engine: 'postgres', url: database.url }
      : { engine: 'sqlite' };
    synapse = new RunningSynapse(
      python,
      options.startTimeoutMs ?? 60_000,
      {
        serverName: options.serverName ?? 'localhost',
        port: await findFreePort(),
        dataDir,
        registrations: (options.registrations ?? []).map((file) => resolve(file)),
        database: databaseConfig,
        registrationSharedSecret: randomBytes(16).toString('hex'),
        macaroonSecretKey: randomBytes(16).toString('hex'),
        formSecret: randomBytes(16).toString('hex'),
      },
      database,
    );
    await synapse.start(PORT_ATTEMPTS);
    return synapse;
  } catch (error) {
    if (synapse) await synapse.stop();
    else {
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
    throw error;
  }
}
