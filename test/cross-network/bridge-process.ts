/**
 * One bridge of a multi-bridge world: its config and registration written to disk, then the bridge run in
 * this process. Several of these share one Synapse, which is why this does not use `startBridgeWorld`
 * (that starts a homeserver per bridge).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import {
  createLogger,
  generateRegistration,
  startBridge,
  validateConfig,
  writeRegistration,
  type BridgeConfig,
  type BridgeDefinition,
  type RunningBridge,
} from '@trestle/core';

export interface BridgeSetupOptions {
  definition: BridgeDefinition<TSchema>;
  /** The bridge's `network:` config section. */
  network: Record<string, unknown>;
  /** Folder for this bridge's config, registration and SQLite store. */
  dir: string;
  /** How this bridge's ghosts are named on Matrix (`appservice.ghost_display_name`), e.g. `{name}[d]`. */
  ghostDisplayName?: string;
}

/** A bridge whose registration exists but which runs only after {@link PreparedBridge.start}. */
export interface PreparedBridge {
  readonly network: string;
  readonly registrationPath: string;
  readonly configPath: string;
  /** Port of /health and /metrics. */
  readonly opsPort: number;
  /** The bridge bot's user id (known once the homeserver is). */
  botUserId(domain: string): string;
  /** Write the final config for this homeserver and start the bridge in this process. */
  start(homeserverUrl: string, domain: string): Promise<RunningBridge>;
  /** Log lines of the bridge so far (JSON, one per line). */
  log(): string;
}

/**
 * Write the registration of a bridge (Synapse must load it before it starts; its tokens do not depend on
 * the homeserver's URL), and return a handle that starts the bridge once the homeserver runs.
 */
export async function prepareBridge(options: BridgeSetupOptions): Promise<PreparedBridge> {
  const { definition, dir } = options;
  const naming = { network: definition.network, defaults: definition.defaults };
  // Held until the bridge starts: Synapse and other test processes start in between and would otherwise
  // be free to take these ports.
  const held = [await holdFreePort(), await holdFreePort()];
  const [port, opsPort] = held.map(portOf) as [number, number];
  const registrationPath = join(dir, 'registration.yaml');
  const configPath = join(dir, 'config.yaml');
  const rawConfig = (homeserverUrl: string, domain: string) => ({
    homeserver: { url: homeserverUrl, domain },
    appservice: {
      port,
      url: `http://127.0.0.1:${port}`,
      registration: registrationPath,
      ...(options.ghostDisplayName && { ghost_display_name: options.ghostDisplayName }),
    },
    database: { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
    permissions: { [domain]: 'admin' },
    metrics: { port: opsPort },
    bridge: { delivery: { initial_backoff_ms: 100, max_backoff_ms: 2000 } },
    logging: { level: 'info' },
    network: options.network,
  });
  const draft = validateConfig(
    rawConfig('http://127.0.0.1:1', 'localhost'),
    definition.networkSchema,
    naming,
  );
  writeRegistration(registrationPath, generateRegistration(draft, naming), { overwrite: true });
  let output = '';
  let config: BridgeConfig = draft;
  return {
    network: definition.network,
    registrationPath,
    configPath,
    opsPort,
    botUserId: (domain) => `@${config.appservice.bot_username}:${domain}`,
    async start(homeserverUrl, domain) {
      const raw = rawConfig(homeserverUrl, domain);
      // YAML is a superset of JSON: the file is valid for `trestle <bridge> start -c` as it is.
      writeFileSync(configPath, JSON.stringify(raw, null, 2));
      config = validateConfig(raw, definition.networkSchema, naming);
      const log = createLogger(config.logging.level, (line) => (output += line + '\n'));
      await Promise.all(held.map((server) => new Promise((r) => server.close(r))));
      return startBridge(definition, config, log);
    },
    log: () => output,
  };
}

function holdFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a TCP server has a port');
  return address.port;
}
