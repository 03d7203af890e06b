#!/usr/bin/env node
/** `node packages/irc/dist/main.js irc start -c config.yaml`: the IRC bridge as its own process. */
import { runCli } from '@trestle/core';
import { bridge } from './irc-bridge';

void runCli([bridge], process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
