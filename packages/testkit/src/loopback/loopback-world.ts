/**
 * A whole test world for the core: a real Synapse, the loopback network, and the loopback bridge as its
 * own process (so tests can SIGKILL and restart it), wired through a generated config and registration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateRegistration, parseConfig, writeRegistration } from '@trestle/core';
import { startSynapse, type SynapseHandle } from '../synapse';
import { findFreePort } from '../ports';
import { LoopbackNetwork } from './loopback-network';
import { loopbackNetworkSchema } from './loopback-bridge';

const MAIN = resolve(__dirname, '../../dist/loopback/main.js');

export interface LoopbackWorld {
  synapse: SynapseHandle;
  network: LoopbackNetwork;
  dir: string;
  configPath: string;
  /** The appservice port of the bridge. */
  port: number;
  /** The health/metrics port of the bridge. */
  opsPort: number;
  /** Output of the current bridge process (JSON log lines). */
  bridgeLog(): string;
  startBridge(): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL (crash) the bridge process. */
  stopBridge(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
}

/** Config text for a loopback bridge; exported for tests of bad configs. */
export function loopbackConfigYaml(o: { homeserverUrl: string; domain: string; port: number; opsPort: number; dir: string; networkUrl: string; databaseUrl?: string }): string {
  return `homeserver:
  url: ${o.homeserverUrl}
  domain: ${o.domain}
appservice:
  port: ${o.port}
  url: http://127.0.0.1:${o.port}
  registration: ${join(o.dir, 'registration.yaml')}
database:
${o.databaseUrl ? `  engine: postgres\n  url: ${o.databaseUrl}` : `  engine: sqlite\n  path: ${join(o.dir, 'bridge.sqlite')}`}
permissions:
  "${o.domain}": admin
metrics:
  port: ${o.opsPort}
bridge:
  delivery:
    initial_backoff_ms: 100
    max_backoff_ms: 2000
logging:
  level: info
network:
  url: ${o.networkUrl}
`;
}

export async function startLoopbackWorld(options: { databaseUrl?: string } = {}): Promise<LoopbackWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-loopback-'));
  const network = new LoopbackNetwork();
  await network.start();
  const port = await findFreePort();
  const opsPort = await findFreePort();
  const configPath = join(dir, 'config.yaml');
  const write = (homeserverUrl: string, domain: string) =>
    writeFileSync(configPath, loopbackConfigYaml({ homeserverUrl, domain, port, opsPort, dir, networkUrl: network.url, databaseUrl: options.databaseUrl }));
  // The registration must exist before Synapse starts; its tokens do not depend on the homeserver URL.
  write('http://127.0.0.1:1', 'localhost');
  const draft = parseConfig(readFileSync(configPath, 'utf8'), loopbackNetworkSchema, { network: 'loopback', defaults: { port: 29300 } });
  writeRegistration(draft.appservice.registration, generateRegistration(draft, { network: 'loopback' }), { overwrite: true });
  const synapse = await startSynapse({ registrations: [draft.appservice.registration] });
  write(synapse.url, synapse.serverName);

  let child: ChildProcess | undefined;
  let output = '';
  const world: LoopbackWorld = {
    synapse,
    network,
    dir,
    configPath,
    port,
    opsPort,
    bridgeLog: () => output,
    async startBridge() {
      output = '';
      const proc = spawn(process.execPath, [MAIN, 'loopback', 'start', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
      await waitForHealth(opsPort, proc, () => output);
    },
    async stopBridge(signal = 'SIGTERM') {
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
      await network.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}


async function waitForHealth(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`bridge exited with ${proc.exitCode} during start-up:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bridge did not become healthy within 30 s:\n${output()}`);
}
