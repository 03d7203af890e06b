#!/usr/bin/env node
/** `node dist/loopback/main.js loopback start -c config.yaml`: the loopback bridge as its own process. */
import { runCli } from '@trestle/core';
import { bridge } from './loopback-bridge';

void runCli([bridge], process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
