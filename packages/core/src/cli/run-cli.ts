/**
 * The `trestle` command line: `trestle <bridge> <command> [-c config.yaml]`.
 * Commands: start, register, check-config, sample-config, json-schema.
 */
import { resolve } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { ConfigError, configJsonSchema, loadConfig, renderSampleConfig } from '../config';
import { generateRegistration, writeRegistration, RegistrationError } from '../registration';
import { createLogger } from '../log/logger';
import { copyStore, type StoreOptions } from '../store';
import type { BridgeDefinition } from './bridge-definition';
import { startBridge, storeOptions } from './start-bridge';

function toStoreOptions(target: string): StoreOptions {
  return /^postgres(ql)?:\/\//.test(target)
    ? { engine: 'postgres', url: target }
    : { engine: 'sqlite', path: resolve(target) };
}

const USAGE = `Usage: trestle <bridge> <command> [-c config.yaml] [--force]

Commands:
  start          run the bridge
  register       write the appservice registration (appservice.registration in the config)
  check-config   validate the config and exit (non-zero, one line per problem, when invalid)
  copy-store --to <postgres url | sqlite path>
                 copy the bridge's data from its configured store to another (bridge stopped)
  sample-config  print a commented sample config
  json-schema    print the config's JSON Schema (for editors)`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

/** Run the CLI; resolves with the exit code (start resolves when the bridge has stopped). */
export async function runCli(
  definitions: BridgeDefinition<TSchema>[],
  argv: string[],
  io: Io = processIo,
): Promise<number> {
  const [bridgeName, command, ...rest] = argv;
  const definition = definitions.find((d) => d.network === bridgeName);
  if (!definition || !command) {
    io.err(USAGE + `\n\nBridges: ${definitions.map((d) => d.network).join(', ')}`);
    return 2;
  }
  const opts = { network: definition.network, defaults: definition.defaults };
  const configIndex = rest.findIndex((a) => a === '-c' || a === '--config');
  const configPath = resolve(configIndex >= 0 ? (rest[configIndex + 1] ?? '') : 'config.yaml');
  try {
    switch (command) {
      case 'sample-config':
        io.out(renderSampleConfig(definition.networkSchema, opts));
        return 0;
      case 'json-schema':
        io.out(JSON.stringify(configJsonSchema(definition.networkSchema, opts), null, 2));
        return 0;
      case 'check-config':
        loadConfig(configPath, definition.networkSchema, opts);
        io.out(`${configPath}: OK`);
        return 0;
      case 'register': {
        const config = loadConfig(configPath, definition.networkSchema, opts);
        const path = resolve(config.appservice.registration);
        writeRegistration(path, generateRegistration(config, opts), { overwrite: rest.includes('--force') });
        io.out(
          `Wrote ${path}. Add it to app_service_config_files in homeserver.yaml and restart the homeserver.`,
        );
        return 0;
      }
      case 'copy-store': {
        const config = loadConfig(configPath, definition.networkSchema, opts);
        const to = rest[rest.indexOf('--to') + 1];
        if (!rest.includes('--to') || !to) {
          io.err('copy-store needs --to <postgres://… URL or SQLite file path>');
          return 2;
        }
        const report = await copyStore(storeOptions(config), toStoreOptions(to));
        io.out(
          `Copied ${Object.entries(report)
            .map(([table, n]) => `${n} ${table}`)
            .join(', ')}.`,
        );
        io.out('Now point the database section of the config at the new store and start the bridge.');
        return 0;
      }
      case 'start': {
        const config = loadConfig(configPath, definition.networkSchema, opts);
        const log = createLogger(config.logging.level);
        const bridge = await startBridge(definition, config, log);
        await new Promise<void>((resolveStop) => {
          const stop = () => {
            log.info('shutting down: draining queues');
            void bridge.stop().then(resolveStop);
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
        return 0;
      }
      default:
        io.err(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RegistrationError) {
      io.err(err.message);
      return 1;
    }
    io.err(`trestle: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
