/**
 * Virtual-user connections: RSS per idle connected virtual user and new connections/s under the
 * connect-rate cap, against a real InspIRCd. Drives the connector's own pool (nick template,
 * connect gate, per-user IrcConnection), not bare irc-framework clients.
 *
 *   npx tsc -b && node --expose-gc test/dist/bench/irc-virtual-users-bench.js [users=1000] [capPerSecond=1000] [snapshot]
 *
 * With `snapshot`, a heap snapshot is written after connecting and summarised by constructor.
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import type { LoginRecord, LoginStore, Logger } from '@trestle/core';
import { ConnectGate, IrcConnection, IrcLogins, parseIrcConfig, VirtualUserPool } from '@trestle/irc';
import { startInspircd } from '@trestle/testkit';
import { cpuSecondsOf, exitOnSignals, inspircdPid, ownCpuSeconds } from './irc-bench-processes';

const USERS = Number(process.argv[2] ?? 1000);
const CAP = Number(process.argv[3] ?? 1000);
const SNAPSHOT = process.argv[4] === 'snapshot';

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (msg, fields) => console.warn(msg, fields),
  error: (msg, fields) => console.error(msg, fields),
  child: () => quiet,
} as Logger;

const logins = new Map<string, LoginRecord>();
const loginStore: LoginStore = {
  get: async (id) => logins.get(id),
  put: async (r) => void logins.set(r.userId, r),
  remove: async (id) => void logins.delete(id),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function settledRss(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().rss;
}

/** Self size and count per constructor name in a heap snapshot. */
function summariseSnapshot(path: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const typeAt = fields.indexOf('type');
  const types = snap.snapshot.meta.node_types[0];
  const bySize = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name =
      type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]!]! : `(${type})`;
    const key = type === 'closure' ? `closure ${name}` : name;
    const entry = bySize.get(key) ?? { size: 0, count: 0 };
    entry.size += snap.nodes[i + sizeAt]!;
    entry.count += 1;
    bySize.set(key, entry);
  }
  return bySize;
}

/** What grew between two snapshots, per user, largest first. */
function snapshotGrowth(beforePath: string, afterPath: string, users: number): string[] {
  const before = summariseSnapshot(beforePath);
  return [...summariseSnapshot(afterPath).entries()]
    .map(([k, v]) => {
      const b = before.get(k) ?? { size: 0, count: 0 };
      return { k, size: (v.size - b.size) / users, count: (v.count - b.count) / users };
    })
    .sort((a, b) => b.size - a.size)
    .slice(0, 20)
    .map((x) => `${(x.size / 1024).toFixed(2).padStart(7)} KB  ${x.count.toFixed(1).padStart(7)}  ${x.k}`);
}

async function main(): Promise<void> {
  exitOnSignals();
  const ircd = await startInspircd();
  const config = parseIrcConfig({
    networks: [
      {
        name: 'bench',
        host: ircd.host,
        port: ircd.port,
        tls: false,
        botNick: 'BenchBot',
        virtualUsers: { enabled: true, maxConnections: USERS, nickTemplate: 'u$LOCALPART' },
      },
    ],
    connectRate: { perSecond: CAP, jitterMs: 0 },
  });
  const network = config.networks[0]!;
  const bot = new IrcConnection(network, quiet, () => undefined);
  await bot.start();
  const gate = new ConnectGate(config.connectRate);
  const pool = new VirtualUserPool(network, {
    bot,
    gate,
    logins: new IrcLogins(loginStore, undefined),
    log: quiet,
    reconnect: { initialMs: 2000, maxMs: 60_000 },
    onPrivateMessage: () => undefined,
  });
  await sleep(500);
  const before = settledRss();

  const users = Array.from({ length: USERS }, (_, i) =>
    pool.acquire({ userId: `@user${i}:bench.test`, displayName: '' })!,
  );
  // Two halves: the growth between them is the cost of one more idle user, free of fixed costs
  // (V8's young generation and code space grow once, whatever the number of connections).
  const half = Math.floor(USERS / 2);
  const ircdPid = inspircdPid(ircd.logFile);
  // Time and CPU count the two connecting phases only, not the pause and the forced GCs between.
  let seconds = 0;
  let bridgeCpu = 0;
  let ircdCpu = 0;
  const connectAll = async (some: typeof users) => {
    const cpu0 = process.cpuUsage();
    const ircdCpu0 = cpuSecondsOf(ircdPid);
    const t0 = performance.now();
    await Promise.all(some.map((u) => u.ensureOnline()));
    seconds += (performance.now() - t0) / 1000;
    bridgeCpu += ownCpuSeconds(cpu0);
    ircdCpu += cpuSecondsOf(ircdPid) - ircdCpu0;
  };
  await connectAll(users.slice(0, half));
  await sleep(2000);
  const middle = settledRss();
  const middleSnapshot = SNAPSHOT ? writeHeapSnapshot() : '';
  const mid = process.memoryUsage();
  await connectAll(users.slice(half));

  await sleep(2000);
  const after = settledRss();
  const memAfter = process.memoryUsage();
  const kb = (bytes: number, n: number) => (bytes / n / 1024).toFixed(1);
  console.log(`IRC virtual users: ${USERS} idle connections to InspIRCd (connect cap ${CAP}/s)`);
  console.log(
    `  connected in ${seconds.toFixed(1)} s: ${(USERS / seconds).toFixed(0)} connections/s by the clock, ` +
      `${(USERS / bridgeCpu).toFixed(0)} per bridge CPU-s (bridge ${bridgeCpu.toFixed(1)} CPU-s, ircd ${ircdCpu.toFixed(1)} CPU-s)`,
  );
  console.log(
    `  RSS ${(before / 1e6).toFixed(0)} -> ${(middle / 1e6).toFixed(0)} -> ${(after / 1e6).toFixed(0)} MB: ` +
      `${kb(after - before, USERS)} KB per user overall, ${kb(after - middle, USERS - half)} KB per additional user ` +
      `(JS heap ${kb(memAfter.heapUsed - mid.heapUsed, USERS - half)} KB, V8 heap committed ${kb(memAfter.heapTotal - mid.heapTotal, USERS - half)} KB)`,
  );
  if (SNAPSHOT) {
    const path = writeHeapSnapshot();
    console.log('  JS heap growth per additional user by constructor (self size, objects):');
    for (const line of snapshotGrowth(middleSnapshot, path, USERS - half)) console.log('   ', line);
    rmSync(middleSnapshot);
    rmSync(path);
  }
  await pool.stop();
  await bot.stop();
  await ircd.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
