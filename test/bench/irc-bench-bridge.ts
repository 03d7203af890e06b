/** The IRC bridge as the benches run it: SQLite in a temporary folder, a null homeserver, one network. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  type LogLevel,
  generateRegistration,
  startBridge,
  validateConfig,
  writeRegistration,
} from '@trestle/core';
import { bridge } from '@trestle/irc';
import { findFreePort } from '@trestle/testkit';

export const BENCH_DOMAIN = 'null.test';

export interface BenchBridge {
  /** Base URL of the bridge's appservice API. */
  url: string;
  hsToken: string;
  /** Ask the bridge for the portal of `alias` (as the homeserver would on a room alias query). */
  queryAlias(alias: string): Promise<void>;
  /** PUT one appservice transaction. */
  transaction(events: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

let transactionNumber = 0;

/** Start the bridge with one network named `bench`; `network` is merged into its config. */
export async function startBenchBridge(
  homeserverPort: number,
  network: Record<string, unknown>,
  top: Record<string, unknown> = {},
): Promise<BenchBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-irc-bench-'));
  const port = await findFreePort();
  const raw = {
    homeserver: { url: `http://127.0.0.1:${homeserverPort}`, domain: BENCH_DOMAIN },
    appservice: { port, url: `http://127.0.0.1:${port}`, registration: join(dir, 'registration.yaml') },
    database: { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
    permissions: { [BENCH_DOMAIN]: 'admin' },
    metrics: { enabled: false },
    logging: { level: process.env.BENCH_LOG ?? 'error' },
    network: { networks: [{ name: 'bench', tls: false, botNick: 'BenchBot', ...network }], ...top },
  };
  const naming = { network: bridge.network, defaults: bridge.defaults };
  const config = validateConfig(raw, bridge.networkSchema, naming);
  const registration = generateRegistration(config, naming);
  writeRegistration(config.appservice.registration, registration, { overwrite: true });
  const running = await startBridge(
    bridge,
    config,
    createLogger((process.env.BENCH_LOG ?? 'error') as LogLevel),
  );
  const url = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${registration.hs_token}` };
  return {
    url,
    hsToken: registration.hs_token,
    async queryAlias(alias) {
      const answer = await fetch(`${url}/_matrix/app/v1/rooms/${encodeURIComponent(alias)}`, {
        headers: auth,
      });
      if (!answer.ok) throw new Error(`alias query for ${alias} failed: ${answer.status}`);
    },
    async transaction(events) {
      const answer = await fetch(`${url}/_matrix/app/v1/transactions/b${transactionNumber++}`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      if (!answer.ok) throw new Error(`transaction refused: ${answer.status}`);
    },
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
