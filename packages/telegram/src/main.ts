#!/usr/bin/env node
/**
 * `node packages/telegram/dist/main.js telegram start -c config.yaml`: the Telegram bridge alone, without
 * loading the other bridges the generic `trestle` CLI looks for (about 28 MB less memory).
 */
import { runCli } from '@trestle/core';
import { bridge } from './telegram-bridge';

void runCli([bridge], process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
