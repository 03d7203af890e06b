/**
 * Idle memory of a bridge process with the embedded store: the loopback bridge, started by the real CLI
 * against a null homeserver, measured (VmRSS) after it has been ready and idle for a few seconds.
 *
 *   npx tsc -b && node test/dist/bench/idle-rss.js
 *
 * The bridge inherits the environment, so `NODE_OPTIONS=--max-semi-space-size=4 node …` measures it with
 * the V8 setting that deploy/ uses.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { generateRegistration, validateConfig, writeRegistration } from '@trestle/core';
import { bridge, findFreePort, LoopbackNetwork } from '@trestle/testkit';

const MAIN = resolve(__dirname, '../../../packages/testkit/dist/loopback/main.js');

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main() {
  const hs = fork(join(__dirname, 'null-homeserver.js'));
  const hsPort = await new Promise<number>((r) => hs.once('message', (m: { port: number }) => r(m.port)));
  const network = new LoopbackNetwork();
  await network.start();
  const dir = mkdtempSync(join(tmpdir(), 'trestle-idle-'));
  const port = await findFreePort();
  const opsPort = await findFreePort();
  const raw = {
    homeserver: { url: `http://127.0.0.1:${hsPort}`, domain: 'bench' },
    appservice: { port, url: `http://127.0.0.1:${port}`, registration: join(dir, 'registration.yaml') },
    database: { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
    metrics: { port: opsPort },
    logging: { level: 'warn' },
    network: { url: network.url },
  };
  const naming = { network: 'loopback', defaults: bridge.defaults };
  const config = validateConfig(raw, bridge.networkSchema, naming);
  writeRegistration(config.appservice.registration, generateRegistration(config, naming));
  writeFileSync(join(dir, 'config.yaml'), stringify(raw));
  const proc = spawn(process.execPath, [MAIN, 'loopback', 'start', '-c', join(dir, 'config.yaml')], {
    stdio: 'inherit',
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${opsPort}/health`)).ok) break;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      samples.push(rssMb(proc.pid!));
    }
    samples.sort((a, b) => a - b);
    console.log(
      `idle RSS of a bridge process (loopback, SQLite): median ${samples[2]!.toFixed(1)} MB over 5 s [${samples.map((s) => s.toFixed(1)).join(', ')}]`,
    );
  } finally {
    proc.kill('SIGTERM');
    hs.kill();
    await network.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
