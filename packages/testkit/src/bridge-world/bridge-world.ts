/**
 * A test world for any Trestle bridge: a real Synapse with the bridge's registration loaded, a generated
 * bridge config, and the bridge itself — in this process (`startBridge`), or as its own process so a
 * test can SIGKILL and restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TSchema } from '@sinclair/typebox';
import {
  createLogger,
  generateRegistration,
  startBridge,
  validateConfig,
  writeRegistration,
  type BridgeDefinition,
  type RunningBridge,
} from '@trestle/core';
import { startSynapse, type SynapseHandle } from '../synapse';
import { findFreePort } from '../ports';

export interface BridgeWorldOptions {
  definition: BridgeDefinition<TSchema>;
  /** The bridge's `network:` config section. */
  network: Record<string, unknown>;
  /** Extra top-level config (e.g. `{ bridge: { command_prefix: '!x' } }`), merged shallowly per section. */
  config?: Record<string, Record<string, unknown>>;
  /** Store the bridge's data in this PostgreSQL database instead of SQLite. */
  databaseUrl?: string;
  /**
   * Run the bridge as a child process with this command (the config path is appended as `-c <path>`),
   * e.g. `[process.execPath, 'packages/testkit/dist/loopback/main.js', 'loopback', 'start']`.
   * Without it the bridge runs in this process.
   */
  command?: string[];
}

export interface BridgeWorld {
  synapse: SynapseHandle;
  dir: string;
  configPath: string;
  /** The bridge's appservice port and health/metrics port. */
  port: number;
  opsPort: number;
  /** The bridge bot's user id. */
  botUserId: string;
  /** The running in-process bridge (undefined in child-process mode or while stopped). */
  bridge?: RunningBridge;
  /** Log lines of the current bridge run. */
  bridgeLog(): string;
  startBridge(): Promise<void>;
  /** Stop the bridge: gracefully, or (child process only) SIGKILL to simulate a crash. */
  stopBridge(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

/** Start Synapse with the bridge registered; the bridge itself starts with `world.startBridge()`. */
export async function startBridgeWorld(options: BridgeWorldOptions): Promise<BridgeWorld> {
  const { definition } = options;
  const naming = { network: definition.network, defaults: definition.defaults };
  const dir = mkdtempSync(join(tmpdir(), `trestle-${definition.network}-`));
  const port = await findFreePort();
  const opsPort = await findFreePort();
  const configPath = join(dir, 'config.yaml');
  const buildConfig = (homeserverUrl: string, domain: string) => {
    const extra = options.config ?? {};
    return {
      homeserver: { url: homeserverUrl, domain, ...extra.homeserver },
      appservice: {
        port,
        url: `http://127.0.0.1:${port}`,
        registration: join(dir, 'registration.yaml'),
        ...extra.appservice,
      },
      database: options.databaseUrl
        ? { engine: 'postgres', url: options.databaseUrl }
        : { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
      permissions: { [domain]: 'admin', ...extra.permissions },
      metrics: { port: opsPort, ...extra.metrics },
      bridge: { delivery: { initial_backoff_ms: 100, max_backoff_ms: 2000 }, ...extra.bridge },
      logging: { level: 'info', ...extra.logging },
      network: options.network,
    };
  };
  // The registration must exist before Synapse starts; its tokens do not depend on the homeserver URL.
  const draft = validateConfig(
    buildConfig('http://127.0.0.1:1', 'localhost'),
    definition.networkSchema,
    naming,
  );
  writeRegistration(draft.appservice.registration, generateRegistration(draft, naming), { overwrite: true });
  const synapse = await startSynapse({ registrations: [draft.appservice.registration] });
  const raw = buildConfig(synapse.url, synapse.serverName);
  writeFileSync(configPath, stringify(raw));
  const config = validateConfig(raw, definition.networkSchema, naming);

  let child: ChildProcess | undefined;
  let output = '';
  const world: BridgeWorld = {
    synapse,
    dir,
    configPath,
    port,
    opsPort,
    botUserId: `@${config.appservice.bot_username}:${synapse.serverName}`,
    bridgeLog: () => output,
    async startBridge() {
      output = '';
      if (!options.command) {
        const log = createLogger(config.logging.level, (line) => (output += line + '\n'));
        world.bridge = await startBridge(definition, config, log);
        return;
      }
      const [cmd, ...args] = options.command;
      const proc = spawn(cmd!, [...args, '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
      await waitForHealth(opsPort, proc, () => output);
    },
    async stopBridge(signal = 'SIGTERM') {
      if (world.bridge) {
        const running = world.bridge;
        world.bridge = undefined;
        await running.stop();
        return;
      }
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill(signal);
      await exited;
    },
    async stop() {
      await world.stopBridge('SIGTERM');
      await synapse.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

async function waitForHealth(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`bridge exited with ${proc.exitCode} during start-up:\n${output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bridge did not become healthy within 30 s:\n${output()}`);
}
