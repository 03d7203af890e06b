/**
 * Telegram bridge benchmark: throughput each way and memory, against a null homeserver (a tiny HTTP
 * server in its own process that answers every Matrix call at once) and the Bot API simulator.
 *
 *   npx tsc -b && node test/dist/bench/telegram-bench.js [messages per run]
 *
 * Three processes: this one (the simulator and the load), the null homeserver, and the bridge itself
 * (`node packages/telegram/dist/main.js telegram start`, so its RSS is the bridge's alone). Steps: link 100 chats through alias
 * queries; let 1,000 Telegram users speak once (1,000 ghosts); read the bridge's RSS; then time
 * Telegram -> Matrix (messages posted in the simulator until the homeserver got them all) and
 * Matrix -> Telegram (appservice transactions of 100 events until the bot sent them all), three
 * runs each, and print the medians. The machine's other load shows in the figures.
 * With TRESTLE_BENCH_CPU_PROF=<dir>, the bridge process writes a V8 CPU profile there.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateRegistration, validateConfig, writeRegistration } from '@trestle/core';
import { bridge } from '@trestle/telegram';
import { findFreePort, TelegramSimulator } from '@trestle/testkit';
import { realisticEventId } from './event-ids';

const CHATS = 100;
const USERS = 1_000;
const RUNS = 3;
const PER_RUN = Number(process.argv[2]) || 3_000;
const EVENTS_PER_TRANSACTION = 100;
const MAIN = resolve(__dirname, '../../../packages/telegram/dist/main.js');
const REPO_ROOT = resolve(__dirname, '../../..');

// ---------------------------------------------------------------- the null homeserver (child process)

interface HomeserverStats {
  messageSends: number;
  /** alias localpart -> room id, for rooms the bridge created. */
  rooms: Record<string, string>;
}

function runNullHomeserver(): void {
  let counter = 0;
  const stats: HomeserverStats = { messageSends: 0, rooms: {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      counter += 1;
      const url = req.url ?? '';
      let roomId = `!room${counter}:bench`;
      if (url.includes('/send/m.room.message/')) stats.messageSends += 1;
      if (url.endsWith('/createRoom')) {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { room_alias_name?: string };
        if (body.room_alias_name) stats.rooms[body.room_alias_name] = roomId;
      } else {
        roomId = decodeURIComponent(/\/rooms\/([^/]+)/.exec(url)?.[1] ?? roomId);
      }
      // One body that satisfies every call the bridge makes.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          event_id: realisticEventId(`ev${counter}`),
          room_id: roomId,
          content_uri: `mxc://bench/m${counter}`,
          user_id: '@bench:bench',
          joined: {},
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', () => process.send!(stats));
}

// ---------------------------------------------------------------- the load (main process)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function homeserverStats(hs: ChildProcess): Promise<HomeserverStats> {
  return new Promise((resolveStats) => {
    hs.once('message', (m) => resolveStats(m as HomeserverStats));
    hs.send('stats');
  });
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of this process (the simulator and the load generator). */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** One timed run: messages per second by the clock and per CPU-second of each process. */
interface RunFigures {
  perSecond: number;
  perBridgeCpuSecond: number;
  perSimulatorCpuSecond: number;
  perHomeserverCpuSecond: number;
}

async function timedRun(
  messages: number,
  pids: { bridge: number; homeserver: number },
  work: () => Promise<void>,
): Promise<RunFigures> {
  const before = { bridge: cpuSeconds(pids.bridge), hs: cpuSeconds(pids.homeserver), own: ownCpuSeconds() };
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: messages / seconds,
    perBridgeCpuSecond: messages / (cpuSeconds(pids.bridge) - before.bridge),
    perSimulatorCpuSecond: messages / (ownCpuSeconds() - before.own),
    perHomeserverCpuSecond: messages / (cpuSeconds(pids.homeserver) - before.hs),
  };
}

function describeRuns(runs: RunFigures[]): string {
  const round = (n: number) => Math.round(n);
  const m = (pick: (r: RunFigures) => number) => round(median(runs.map(pick)));
  return (
    `median ${m((r) => r.perSecond)} msg/s (runs: ${runs.map((r) => round(r.perSecond)).join(', ')}); ` +
    `per CPU-second: bridge ${m((r) => r.perBridgeCpuSecond)}, simulator+load ${m((r) => r.perSimulatorCpuSecond)}, ` +
    `null homeserver ${m((r) => r.perHomeserverCpuSecond)}`
  );
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-telegram-bench-'));
  const sim = await TelegramSimulator.start();
  const hs = fork(__filename, ['null-homeserver'], { stdio: 'inherit' });
  const hsPort = await new Promise<number>((r) => hs.once('message', (m) => r((m as { port: number }).port)));
  let bridgeProcess: ChildProcess | undefined;
  try {
    const users = Array.from({ length: USERS }, (_, i) => sim.addUser({ first_name: `User ${i}` }));
    const chats = Array.from(
      { length: CHATS },
      (_, i) =>
        sim.createChat({
          type: 'supergroup',
          title: `Chat ${i}`,
          members: [users[i]!.id],
          bot: 'administrator',
        }).id,
    );
    users.forEach((user, i) => i >= CHATS && sim.addMember(chats[i % CHATS]!, user.id));

    // The bridge, configured and registered as an admin would.
    const port = await findFreePort();
    const opsPort = await findFreePort();
    const raw = {
      homeserver: { url: `http://127.0.0.1:${hsPort}`, domain: 'bench' },
      appservice: { port, url: `http://127.0.0.1:${port}`, registration: join(dir, 'registration.yaml') },
      database: { engine: 'sqlite', path: join(dir, 'bridge.sqlite') },
      metrics: { port: opsPort },
      logging: { level: 'warn' },
      network: {
        bot_token: sim.token,
        api_root: sim.apiRoot,
        poll_timeout_seconds: 5,
        // The bench measures the bridge, not Telegram's flood limits (which would cap it at 20/min per group).
        send_pacing: { enabled: false },
        link_approval: 'none',
      },
    };
    const naming = { network: bridge.network, defaults: bridge.defaults };
    const config = validateConfig(raw, bridge.networkSchema, naming);
    writeRegistration(config.appservice.registration, generateRegistration(config, naming), {
      overwrite: true,
    });
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, JSON.stringify(raw, null, 2)); // JSON is YAML
    const hsToken = /hs_token: (\S+)/.exec(readFileSync(config.appservice.registration, 'utf8'))![1]!;
    const profile = process.env.TRESTLE_BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRESTLE_BENCH_CPU_PROF}`]
      : [];
    bridgeProcess = spawn(process.execPath, [...profile, MAIN, 'telegram', 'start', '-c', configPath], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await until(
      async () => (await fetch(`http://127.0.0.1:${opsPort}/health`).catch(() => undefined))?.ok === true,
      'the bridge to start',
      30_000,
    );
    const appservice = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}/_matrix/app/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${hsToken}`, 'content-type': 'application/json' },
      });
    const bridgePid = bridgeProcess.pid!;
    const rssAtStart = rssMb(bridgePid);

    // 100 portals from alias queries, then 1,000 ghosts.
    for (const chat of chats) {
      const response = await appservice(`/rooms/${encodeURIComponent(`#telegram_${chat}:bench`)}`);
      if (!response.ok) throw new Error(`alias query for ${chat} failed: HTTP ${response.status}`);
    }
    const rooms = (await homeserverStats(hs)).rooms;
    const roomIds = chats.map((chat) => rooms[`telegram_${chat}`]!);
    const sendsSoFar = async () => (await homeserverStats(hs)).messageSends;
    let expected = (await sendsSoFar()) + USERS;
    users.forEach((user, i) => sim.asUser(user.id).send(chats[i % CHATS]!, `hello from user ${i}`));
    await until(async () => (await sendsSoFar()) >= expected, '1,000 ghosts to speak');
    await sleep(500);
    const rssWithGhosts = rssMb(bridgePid);

    const pids = { bridge: bridgePid, homeserver: hs.pid! };
    // Telegram -> Matrix.
    const toMatrix: RunFigures[] = [];
    for (let run = 0; run < RUNS; run++) {
      expected = (await sendsSoFar()) + PER_RUN;
      toMatrix.push(
        await timedRun(PER_RUN, pids, async () => {
          for (let i = 0; i < PER_RUN; i++) {
            const userIndex = (i * 7 + run) % USERS;
            sim.asUser(users[userIndex]!.id).send(chats[userIndex % CHATS]!, `t2m ${run}/${i}`);
          }
          await until(async () => (await sendsSoFar()) >= expected, 'Telegram -> Matrix messages');
        }),
      );
    }

    // Matrix -> Telegram.
    const toTelegram: RunFigures[] = [];
    let scanned = 0;
    let botSends = 0;
    const countBotSends = () => {
      for (; scanned < sim.calls.length; scanned++)
        if (sim.calls[scanned]!.method === 'sendMessage' && sim.calls[scanned]!.ok) botSends++;
      return botSends;
    };
    for (let run = 0; run < RUNS; run++) {
      const target = countBotSends() + PER_RUN;
      const figures = await timedRun(PER_RUN, pids, async () => {
        for (let sent = 0; sent < PER_RUN; sent += EVENTS_PER_TRANSACTION) {
          const events = Array.from({ length: Math.min(EVENTS_PER_TRANSACTION, PER_RUN - sent) }, (_, k) => {
            const n = sent + k;
            return {
              type: 'm.room.message',
              event_id: realisticEventId(`m2t-${run}-${n}`),
              room_id: roomIds[n % CHATS],
              sender: `@matrix${n % 50}:bench`,
              origin_server_ts: Date.now(),
              content: { msgtype: 'm.text', body: `m2t ${run}/${n}` },
            };
          });
          const response = await appservice(`/transactions/bench-${run}-${sent}`, {
            method: 'PUT',
            body: JSON.stringify({ events }),
          });
          if (!response.ok) throw new Error(`transaction refused: HTTP ${response.status}`);
        }
        await until(() => countBotSends() >= target, 'Matrix -> Telegram messages');
      });
      toTelegram.push(figures);
    }
    const rssAtEnd = rssMb(bridgePid);

    const round = (n: number) => Math.round(n);
    console.log(
      `Telegram bridge benchmark (${PER_RUN} messages per run, ${RUNS} runs, ${CHATS} chats, ${USERS} ghosts)`,
    );
    console.log(`  Telegram -> Matrix: ${describeRuns(toMatrix)}`);
    console.log(`  Matrix -> Telegram: ${describeRuns(toTelegram)}`);
    console.log(
      `  bridge RSS: ${round(rssAtStart)} MB at start, ${round(rssWithGhosts)} MB with ${CHATS} chats and ${USERS} ghosts, ${round(rssAtEnd)} MB at the end`,
    );
  } finally {
    bridgeProcess?.kill('SIGTERM');
    if (bridgeProcess && bridgeProcess.exitCode === null)
      await new Promise((r) => bridgeProcess!.once('exit', r));
    hs.kill();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'null-homeserver') runNullHomeserver();
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
