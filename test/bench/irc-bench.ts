/**
 * IRC bridge throughput: messages/s each way through the whole bridge (core + connector) against a
 * real InspIRCd and a null homeserver (a tiny HTTP server in its own process that answers every
 * Matrix call at once), plus the bridge process's RSS.
 *
 *   npx tsc -b && node test/dist/bench/irc-bench.js [messages=3000] [runs=3]
 *
 * IRC -> Matrix: an IRC user floods the channel; timed until the null homeserver has received every
 * `m.room.message`. Matrix -> IRC: appservice transactions of 100 events are pushed to the bridge;
 * timed until an IRC user has seen every relayed line. Flood control is lifted for the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  generateRegistration,
  startBridge,
  validateConfig,
  writeRegistration,
} from '@trestle/core';
import { bridge } from '@trestle/irc';
import { findFreePort, IrcTestUser, startInspircd } from '@trestle/testkit';

const MESSAGES = Number(process.argv[2] ?? 3000);
const RUNS = Number(process.argv[3] ?? 3);
const DOMAIN = 'null.test';

/** The null homeserver: every call succeeds at once; GET /_count says how many messages were sent. */
const NULL_HOMESERVER = `
const http = require('node:http');
let n = 0, messages = 0;
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const url = req.url;
    let out = {};
    if (url === '/_count') out = { messages };
    else if (url.includes('/createRoom')) out = { room_id: '!room' + ++n + ':${DOMAIN}' };
    else if (url.includes('/join')) out = { room_id: decodeURIComponent(url.split('/join/')[1] || '!x:${DOMAIN}').split('?')[0] };
    else if (url.includes('/send/m.room.message')) { messages++; out = { event_id: '$e' + ++n }; }
    else if (req.method === 'PUT' || url.includes('/send/')) out = { event_id: '$e' + ++n };
    else if (url.includes('/register')) out = { user_id: '@x:${DOMAIN}' };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
}).listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startNullHomeserver(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', NULL_HOMESERVER, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

async function main(): Promise<void> {
  const ircd = await startInspircd();
  const hsPort = await findFreePort();
  const homeserver = await startNullHomeserver(hsPort);
  const dir = mkdtempSync(join(tmpdir(), 'trestle-irc-bench-'));
  const port = await findFreePort();
  const raw = {
    homeserver: { url: `http://127.0.0.1:${hsPort}`, domain: DOMAIN },
    appservice: { port, url: `http://127.0.0.1:${port}`, registration: join(dir, 'registration.yaml') },
    database: { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
    permissions: { [DOMAIN]: 'admin' },
    metrics: { enabled: false },
    logging: { level: 'error' },
    network: {
      networks: [
        {
          name: 'bench',
          host: ircd.host,
          port: ircd.port,
          tls: false,
          botNick: 'BenchBot',
          relay: { enabled: true },
          floodControl: { linesPerSecond: 1_000_000, burst: 1_000_000 },
        },
      ],
    },
  };
  const naming = { network: bridge.network, defaults: bridge.defaults };
  const config = validateConfig(raw, bridge.networkSchema, naming);
  const registration = generateRegistration(config, naming);
  writeRegistration(config.appservice.registration, registration, { overwrite: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(raw));
  const rssBefore = process.memoryUsage().rss;
  const running = await startBridge(bridge, config, createLogger('error'));

  const [talker, listener] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'talker', timeoutMs: 10_000 }),
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'listener', timeoutMs: 10_000 }),
  ]);
  await Promise.all([talker.join('#bench'), listener.join('#bench')]);
  const hs = (path: string) =>
    fetch(`http://127.0.0.1:${hsPort}${path}`).then((r) => r.json() as Promise<{ messages: number }>);
  const as = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${registration.hs_token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const aliasAnswer = await as(
    'GET',
    `/_matrix/app/v1/rooms/${encodeURIComponent(`#irc_bench_#bench:${DOMAIN}`)}`,
  );
  if (!aliasAnswer.ok) throw new Error(`alias query failed: ${aliasAnswer.status}`);
  const roomId = '!room1:' + DOMAIN;

  const toMatrix: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = (await hs('/_count')).messages;
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i++) talker.say('#bench', `r${run} m${i}`);
    while ((await hs('/_count')).messages < start + MESSAGES) await sleep(20);
    toMatrix.push(MESSAGES / ((performance.now() - t0) / 1000));
  }

  const toIrc: number[] = [];
  let txn = 0;
  for (let run = 0; run < RUNS; run++) {
    const seen = listener.log.length;
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i += 100) {
      const events = Array.from({ length: Math.min(100, MESSAGES - i) }, (_, k) => ({
        type: 'm.room.message',
        room_id: roomId,
        sender: `@user:${DOMAIN}`,
        event_id: `$m${run}-${i + k}`,
        origin_server_ts: Date.now(),
        content: { msgtype: 'm.text', body: `x${run} ${i + k}` },
      }));
      const answer = await as('PUT', `/_matrix/app/v1/transactions/t${txn++}`, { events });
      if (!answer.ok) throw new Error(`transaction refused: ${answer.status}`);
    }
    const last = `x${run} ${MESSAGES - 1}`;
    await listener.waitForMessage((e) => e.type === 'privmsg' && (e.message ?? '').endsWith(last), 300_000);
    const got = listener.log.slice(seen).filter((e) => e.type === 'privmsg' && e.nick === 'BenchBot').length;
    if (got < MESSAGES) throw new Error(`only ${got} of ${MESSAGES} lines reached IRC`);
    toIrc.push(MESSAGES / ((performance.now() - t0) / 1000));
  }
  const rss = process.memoryUsage().rss;

  console.log(`IRC bridge, ${MESSAGES} messages x ${RUNS} runs (InspIRCd, null homeserver, one process)`);
  console.log(
    `  IRC -> Matrix: median ${median(toMatrix).toFixed(0)} msg/s  (runs: ${toMatrix.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  Matrix -> IRC: median ${median(toIrc).toFixed(0)} msg/s  (runs: ${toIrc.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  RSS: ${(rss / 1e6).toFixed(0)} MB (bridge added ${((rss - rssBefore) / 1e6).toFixed(0)} MB)`,
  );

  await Promise.all([talker.quit(), listener.quit()]);
  await running.stop();
  homeserver.kill();
  await ircd.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
