/**
 * Core benchmark: the runtime with a counting connector against a null homeserver in another process.
 *
 *   npx tsc -b && node test/dist/bench/core-bench.js
 *   BENCH_STORE=postgres TRESTLE_TEST_PG_URL=postgres://… node test/dist/bench/core-bench.js
 *
 * Prints: remote->Matrix burst throughput; latency at a steady 1,000 messages/s (p50/p99);
 * Matrix->remote throughput (transactions in, connector calls out); start-up to ready with 10,000 portals
 * and 100,000 ghosts in the store; RSS. Medians of several runs where a run is cheap. This machine is
 * shared and noisy: compare figures from one run, not across days.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BridgeRuntime,
  createLogger,
  irFromText,
  openStore,
  type BridgeContext,
  type Connector,
  type MatrixSideEvent,
  type RemoteRef,
  type Store,
  type StoreOptions,
} from '@trestle/core';
import { createFreshDatabase } from '@trestle/testkit';
import { realisticEventId } from './event-ids';

const CHATS = 100;

class CountingConnector implements Connector {
  readonly network = 'bench';
  readonly displayName = 'Bench';
  readonly capabilities = {
    edits: true,
    redactions: true,
    reactions: true,
    replies: true,
    threads: false,
    typing: false,
    media: true,
  };
  ctx!: BridgeContext;
  sent = 0;
  private waiter?: { target: number; resolve: () => void };
  async start(ctx: BridgeContext) {
    this.ctx = ctx;
  }
  async stop() {}
  async send(_portal: unknown, _ev: MatrixSideEvent): Promise<RemoteRef[]> {
    this.sent++;
    if (this.waiter && this.sent >= this.waiter.target) this.waiter.resolve();
    return [{ id: `r${this.sent}` }];
  }
  until(target: number): Promise<void> {
    if (this.sent >= target) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = { target, resolve }));
  }
}

function startNullHomeserver(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(join(__dirname, 'null-homeserver.js'));
  return new Promise((resolve) =>
    child.once('message', (m: { port: number }) => resolve({ url: `http://127.0.0.1:${m.port}`, child })),
  );
}

async function startRuntime(store: Store, homeserverUrl: string) {
  const connector = new CountingConnector();
  const runtime = await BridgeRuntime.start({
    connector,
    connectorConfig: {},
    store,
    log: createLogger('error'),
    homeserverUrl,
    domain: 'bench',
    asToken: 'as',
    hsToken: 'hs',
    botLocalpart: 'benchbot',
    userPrefix: 'bench_',
    aliasPrefix: 'bench_',
    bindAddress: '127.0.0.1',
    port: 0,
    retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 100 },
  });
  return { runtime, connector };
}

async function seedPortals(store: Store, count: number) {
  for (let i = 0; i < count; i++) {
    await store.portals.upsert({
      roomId: `!room${i}:bench`,
      chatId: `c${i}`,
      kind: 'group',
      plumbed: false,
      settings: {},
      createdAt: Date.now(),
    });
  }
}

const message = (chat: number, id: string) => ({
  kind: 'message' as const,
  chatId: `c${chat}`,
  id,
  sender: { id: `u${chat % 50}`, displayName: `User ${chat % 50}` },
  parts: [{ type: 'text' as const, msgtype: 'text' as const, body: irFromText(`message ${id}`) }],
});

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Throughput by the wall clock, and per second of this process's CPU (steadier on a shared machine). */
interface Rate {
  wall: number;
  perCpuSecond: number;
}

async function measure(n: number, work: () => Promise<void>): Promise<Rate> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await work();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / wallS, perCpuSecond: n / ((cpu.user + cpu.system) / 1e6) };
}

const fmt = (rates: Rate[]) => {
  const wall = median(rates.map((r) => r.wall));
  const cpu = median(rates.map((r) => r.perCpuSecond));
  return `median ${wall.toFixed(0)}/s by the clock, ${cpu.toFixed(0)}/s per CPU-second  [runs: ${rates.map((r) => r.wall.toFixed(0)).join(', ')}]`;
};

function remoteToMatrixBurst(ctx: BridgeContext, n: number, runId: string): Promise<Rate> {
  return measure(n, async () => {
    await Promise.all(Array.from({ length: n }, (_, i) => ctx.emit(message(i % CHATS, `${runId}-${i}`))));
  });
}

async function remoteToMatrixSteady(ctx: BridgeContext, rate: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const total = rate * seconds;
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    pending.push(
      ctx.emit(message(i % CHATS, `steady-${i}`)).then(() => void latencies.push(performance.now() - t)),
    );
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

function matrixToRemote(port: number, connector: CountingConnector, n: number, runId: string): Promise<Rate> {
  return measure(n, () => matrixToRemoteRun(port, connector, n, runId));
}

async function matrixToRemoteRun(
  port: number,
  connector: CountingConnector,
  n: number,
  runId: string,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const perTxn = 50;
  const target = connector.sent + n;
  const puts: Promise<void>[] = [];
  for (let t = 0; t < n / perTxn; t++) {
    const events = Array.from({ length: perTxn }, (_, i) => ({
      type: 'm.room.message',
      event_id: realisticEventId(`${runId}-${t}-${i}`),
      room_id: `!room${(t * perTxn + i) % CHATS}:bench`,
      sender: '@alice:bench',
      origin_server_ts: Date.now(),
      content: { msgtype: 'm.text', body: `hello ${t}-${i}` },
    }));
    const body = JSON.stringify({ events });
    puts.push(
      new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'PUT',
            path: `/_matrix/app/v1/transactions/${runId}-${t}`,
            agent,
            headers: { authorization: 'Bearer hs', 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    );
  }
  await Promise.all(puts);
  await connector.until(target);
  agent.destroy();
}

async function startupWithBigStore(options: StoreOptions, homeserverUrl: string): Promise<number> {
  const seedStore = await openStore(options);
  await fillBig(seedStore, options);
  await seedStore.close();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const store = await openStore(options);
    const { runtime } = await startRuntime(store, homeserverUrl);
    runs.push(performance.now() - t0);
    await runtime.stop();
  }
  return median(runs);
}

/** Bulk-fill 10,000 portals and 100,000 ghosts through the store's own connection. */
async function fillBig(store: Store, options: StoreOptions) {
  const now = Date.now();
  if (options.engine === 'sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(options.path);
    db.transaction(() => {
      const p = db.prepare(
        'INSERT INTO portals (room_id, chat_id, kind, plumbed, settings, created_at) VALUES (?, ?, ?, 0, ?, ?)',
      );
      for (let i = 0; i < 10_000; i++) p.run(`!big${i}:bench`, `big${i}`, 'group', '{}', now);
      const g = db.prepare(
        'INSERT INTO ghosts (remote_id, user_id, display_name, updated_at) VALUES (?, ?, ?, ?)',
      );
      for (let i = 0; i < 100_000; i++) g.run(`g${i}`, `@bench_g${i}:bench`, `Ghost ${i}`, now);
    })();
    db.close();
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg') as typeof import('pg');
    const client = new Client({ connectionString: options.url });
    await client.connect();
    await client.query(`INSERT INTO portals (room_id, chat_id, kind, plumbed, settings, created_at)
      SELECT '!big' || i || ':bench', 'big' || i, 'group', 0, '{}', ${now} FROM generate_series(0, 9999) i`);
    await client.query(`INSERT INTO ghosts (remote_id, user_id, display_name, updated_at)
      SELECT 'g' || i, '@bench_g' || i || ':bench', 'Ghost ' || i, ${now} FROM generate_series(0, 99999) i`);
    await client.end();
  }
  void store;
}

/**
 * `BENCH_ONLY=burst|m2r` runs only that part (for profiling); `BENCH_STORE=postgres` measures the throughput
 * with the PostgreSQL store (from `TRESTLE_TEST_PG_URL`) instead of SQLite.
 */
async function main() {
  const only = process.env.BENCH_ONLY;
  const hs = await startNullHomeserver();
  const dir = mkdtempSync(join(tmpdir(), 'trestle-core-bench-'));
  // database.checkpoint_worker: on unless BENCH_CHECKPOINT_WORKER=0 (the figures in docs/architecture.md).
  const checkpointWorker = process.env.BENCH_CHECKPOINT_WORKER !== '0';
  const pgThroughput =
    process.env.BENCH_STORE === 'postgres' ? await createFreshDatabase('core_bench_run') : undefined;
  try {
    const store = await openStore(
      pgThroughput
        ? { engine: 'postgres', url: pgThroughput.url }
        : { engine: 'sqlite', path: join(dir, 'bench.sqlite'), checkpointWorker },
    );
    console.log(
      `store: ${store.engine}${pgThroughput ? '' : `, checkpoint worker ${checkpointWorker ? 'on' : 'off'}`}`,
    );
    await seedPortals(store, CHATS);
    const { runtime, connector } = await startRuntime(store, hs.url);
    const ctx = connector.ctx;
    if (!only || only === 'burst') {
      await remoteToMatrixBurst(ctx, 2_000, 'warm');
      const bursts: Rate[] = [];
      for (let r = 0; r < 3; r++) bursts.push(await remoteToMatrixBurst(ctx, 10_000, `burst${r}`));
      console.log(`remote->Matrix burst (10,000 msgs over ${CHATS} rooms): ${fmt(bursts)}`);
    }
    if (!only) {
      const lat = await remoteToMatrixSteady(ctx, 1000, 10);
      console.log(
        `remote->Matrix at a steady 1,000 msgs/s for 10 s: p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms`,
      );
    }
    if (!only || only === 'm2r') {
      await matrixToRemote(runtime.port, connector, 2_000, 'warm');
      const m2r: Rate[] = [];
      for (let r = 0; r < 3; r++) m2r.push(await matrixToRemote(runtime.port, connector, 10_000, `m2r${r}`));
      console.log(`Matrix->remote (10,000 events in transactions of 50): ${fmt(m2r)}`);
    }
    console.log(`RSS after the runs: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
    await runtime.stop();
    if (only || pgThroughput) return;

    const sqliteStartup = await startupWithBigStore(
      { engine: 'sqlite', path: join(dir, 'big.sqlite') },
      hs.url,
    );
    console.log(
      `start-up to ready, 10,000 portals + 100,000 ghosts, SQLite: median ${sqliteStartup.toFixed(0)} ms`,
    );
    const pg = await createFreshDatabase('core_bench');
    try {
      const pgStartup = await startupWithBigStore({ engine: 'postgres', url: pg.url }, hs.url);
      console.log(
        `start-up to ready, 10,000 portals + 100,000 ghosts, PostgreSQL: median ${pgStartup.toFixed(0)} ms`,
      );
    } finally {
      await pg.drop();
    }
  } finally {
    hs.child.kill();
    await pgThroughput?.drop();
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
