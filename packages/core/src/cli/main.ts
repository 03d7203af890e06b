#!/usr/bin/env node
/**
 * The `trestle` executable. Bridges are found by package name (`@trestle/<bridge>` exporting `bridge`),
 * so the core never imports a network library itself.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import type { BridgeDefinition } from './bridge-definition';
import { runCli } from './run-cli';

const KNOWN_BRIDGES = ['@trestle/irc', '@trestle/discord', '@trestle/telegram'];

/**
 * Bridges installed next to the core, or in the project the command runs from (the monorepo root). Only the
 * bridge named on the command line is loaded (each network library costs tens of MB); all of them when no
 * known bridge is named, to list them in the usage text.
 */
function installedBridges(requested: string | undefined): BridgeDefinition<TSchema>[] {
  const found: BridgeDefinition<TSchema>[] = [];
  const wanted = KNOWN_BRIDGES.filter((name) => name === `@trestle/${requested}`);
  const fromProject = createRequire(join(process.cwd(), 'package.json'));
  const load = (name: string) => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(name) as { bridge?: BridgeDefinition<TSchema> };
    } catch {
      return fromProject(name) as { bridge?: BridgeDefinition<TSchema> };
    }
  };
  for (const name of wanted.length ? wanted : KNOWN_BRIDGES) {
    try {
      const mod = load(name);
      if (mod.bridge) found.push(mod.bridge);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  return found;
}

const argv = process.argv.slice(2);
void runCli(installedBridges(argv[0]), argv).then((code) => {
  process.exitCode = code;
});
