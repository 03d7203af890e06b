/**
 * `trestle <bridge> start`: load and check config and registration, open the store, run the bridge,
 * and shut down gracefully (draining the queues) on SIGTERM/SIGINT.
 */
import { resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { BridgeConfig } from '../config';
import { loadRegistration, assertRegistrationMatchesConfig } from '../registration';
import { openStore, type StoreOptions } from '../store';
import { createLogger, type Logger } from '../log/logger';
import { BridgeRuntime } from '../runtime/bridge-runtime';
import { OpsServer } from '../ops/ops-server';
import { buildCommands } from '../runtime/core-commands';
import type { BridgeDefinition } from './bridge-definition';

export interface RunningBridge {
  runtime: BridgeRuntime;
  stop(): Promise<void>;
}

/** Where a bridge's config says its data lives. */
export function storeOptions(config: BridgeConfig): StoreOptions {
  const db = config.database;
  return db.engine === 'postgres'
    ? { engine: 'postgres', url: db.url ?? '' }
    : { engine: 'sqlite', path: resolve(db.path), checkpointWorker: db.checkpoint_worker };
}

/** Start a bridge from a validated config (used by the CLI and by tests that run bridges in-process). */
export async function startBridge<N extends TSchema>(
  definition: BridgeDefinition<N>,
  config: BridgeConfig,
  log: Logger = createLogger(config.logging.level),
): Promise<RunningBridge> {
  const registration = loadRegistration(resolve(config.appservice.registration));
  assertRegistrationMatchesConfig(registration, config, config.appservice.registration);
  const db = config.database;
  const store = await openStore(
    db.engine === 'postgres'
      ? { engine: 'postgres', url: db.url ?? '' }
      : { engine: 'sqlite', path: resolve(db.path) },
  );
  const connector = definition.createConnector(config.network as never);
  const runtime = await BridgeRuntime.start({
    connector,
    connectorConfig: config.network,
    store,
    log,
    homeserverUrl: config.homeserver.url,
    domain: config.homeserver.domain,
    asToken: registration.as_token,
    hsToken: registration.hs_token,
    appserviceId: registration.id,
    botLocalpart: config.appservice.bot_username,
    userPrefix: config.appservice.user_prefix,
    ghostDisplayName: config.appservice.ghost_display_name,
    aliasPrefix: config.appservice.alias_prefix,
    bindAddress: config.appservice.bind_address,
    port: config.appservice.port,
    retry: {
      maxAttempts: config.bridge.delivery.max_attempts,
      initialBackoffMs: config.bridge.delivery.initial_backoff_ms,
      maxBackoffMs: config.bridge.delivery.max_backoff_ms,
      maxOutageMs: config.bridge.delivery.max_outage_seconds * 1000,
    },
    ...(config.bridge.public_media.enabled && {
      publicMedia: {
        externalUrl: config.bridge.public_media.external_url!,
        signingKey: config.bridge.public_media.signing_key!,
      },
    }),
    commandPrefix: config.bridge.command_prefix,
    commands: (rt) => buildCommands(rt, connector, config),
  });
  let ops: OpsServer | undefined;
  if (config.metrics.enabled) {
    ops = new OpsServer(runtime.healthReport, () => runtime.metrics.registry.metrics());
    await ops.listen(config.metrics.port, config.metrics.bind_address);
  }
  return {
    runtime,
    async stop() {
      await ops?.close();
      await runtime.stop();
    },
  };
}
