/**
 * Store benchmark: a bridge's startup and hot paths on both engines.
 *
 * Fills 10,000 portals and 100,000 ghosts, then measures open-to-ready (openStore + a first portal lookup,
 * median of several runs), message_map.add inserts/s (one mapping per call, as events arrive),
 * byEvent lookup latency (p50/p99), and journal append + markDone pairs/s.
 *
 *   npx tsc -b && node test/dist/bench/store-startup.js [sqlite|postgres]...
 *
 * Wall-clock figures depend on what else the machine runs; the CPU time per call (this process only,
 * so the PostgreSQL server's share is not in it) is the steadier figure to compare.
 *
 * PostgreSQL runs in a fresh database on TRESTLE_TEST_PG_URL (see @trestle/testkit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Deep imports until the package indexes export the store and the PostgreSQL helper.
import type { Store } from '@trestle/core';
import { openStore, type StoreOptions } from '@trestle/core/dist/store';
import { createFreshDatabase } from '@trestle/testkit/dist/postgres';

const PORTALS = 10_000;
const GHOSTS = 100_000;
const OPEN_RUNS = 5;
const MESSAGE_ADDS = 10_000;
const LOOKUPS = 10_000;
const JOURNAL_EVENTS = 5_000;
/** Writes in flight while filling: PostgreSQL commits them in groups, so the fill takes far fewer fsyncs. */
const FILL_CONCURRENCY = 16;

interface Backing {
  options: StoreOptions;
  discard(): Promise<void>;
}

async function sqliteBacking(): Promise<Backing> {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-bench-'));
  return {
    options: { engine: 'sqlite', path: join(dir, 'bench.db') },
    discard: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresBacking(): Promise<Backing> {
  const database = await createFreshDatabase('store_bench');
  return { options: { engine: 'postgres', url: database.url }, discard: () => database.drop() };
}

/** Run `task(i)` for i in [0, count) with at most `FILL_CONCURRENCY` in flight. */
async function forEachConcurrently(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, worker));
}

const roomId = (i: number) => `!portal${i}:bench.example`;

async function fill(store: Store): Promise<number> {
  const started = performance.now();
  await forEachConcurrently(PORTALS, (i) =>
    store.portals.upsert({
      roomId: roomId(i),
      chatId: `chat-${i}`,
      kind: 'group',
      plumbed: false,
      name: `Channel ${i}`,
      settings: { relay: i % 2 === 0 },
      createdAt: Date.now(),
    }),
  );
  await forEachConcurrently(GHOSTS, (i) =>
    store.ghosts.upsert({
      remoteId: `user-${i}`,
      userId: `@_bench_user-${i}:bench.example`,
      displayName: `User ${i}`,
      updatedAt: Date.now(),
    }),
  );
  return performance.now() - started;
}

async function openToReady(options: StoreOptions): Promise<number> {
  const started = performance.now();
  const store = await openStore(options);
  await store.portals.byRoom(roomId(PORTALS - 1));
  const elapsed = performance.now() - started;
  await store.close();
  return elapsed;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** CPU time this process spent since `since`, in microseconds: steadier than wall time on a busy machine. */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

async function messageMapFigures(store: Store) {
  const started = performance.now();
  const addCpu = process.cpuUsage();
  for (let i = 0; i < MESSAGE_ADDS; i++) {
    await store.messages.add([
      {
        roomId: roomId(i % PORTALS),
        eventId: `$event-${i}`,
        chatId: `chat-${i % PORTALS}`,
        remoteId: `msg-${i}`,
        part: 0,
        sender: '@alice:bench.example',
        createdAt: Date.now(),
      },
    ]);
  }
  const insertsPerSecond = MESSAGE_ADDS / ((performance.now() - started) / 1000);
  const addCpuMicros = cpuMicros(addCpu) / MESSAGE_ADDS;

  const latencies: number[] = [];
  const lookupCpu = process.cpuUsage();
  for (let i = 0; i < LOOKUPS; i++) {
    const eventId = `$event-${(i * 7919) % MESSAGE_ADDS}`;
    const t0 = performance.now();
    const found = await store.messages.byEvent(eventId);
    latencies.push(performance.now() - t0);
    if (!found) throw new Error(`lookup of ${eventId} found nothing`);
  }
  const lookupCpuMicros = cpuMicros(lookupCpu) / LOOKUPS;
  latencies.sort((a, b) => a - b);
  return {
    insertsPerSecond,
    addCpuMicros,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lookupCpuMicros,
  };
}

async function journalPairsPerSecond(store: Store): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < JOURNAL_EVENTS; i++) {
    await store.journal.append([
      { roomId: roomId(0), eventId: `$journal-${i}`, event: { type: 'm.room.message' } },
    ]);
  }
  for (const entry of await store.journal.pending()) await store.journal.markDone(entry.seq);
  return JOURNAL_EVENTS / ((performance.now() - started) / 1000);
}

async function bench(engine: 'sqlite' | 'postgres'): Promise<void> {
  const backing = engine === 'sqlite' ? await sqliteBacking() : await postgresBacking();
  try {
    const filler = await openStore(
      backing.options.engine === 'postgres'
        ? { ...backing.options, poolSize: FILL_CONCURRENCY }
        : backing.options,
    );
    const fillMs = await fill(filler);
    await filler.close();

    const store = await openStore(backing.options);
    const hotPaths = await messageMapFigures(store);
    const journalRate = await journalPairsPerSecond(store);
    await store.close();

    const opens: number[] = [];
    for (let run = 0; run < OPEN_RUNS; run++) opens.push(await openToReady(backing.options));

    const rows: Array<[string, string]> = [
      [`fill ${PORTALS} portals + ${GHOSTS} ghosts`, `${(fillMs / 1000).toFixed(1)} s`],
      [
        `open-to-ready, median of ${OPEN_RUNS}`,
        `${median(opens).toFixed(1)} ms (runs: ${opens.map((o) => o.toFixed(1)).join(', ')})`,
      ],
      [
        'message_map.add, one mapping per call',
        `${Math.round(hotPaths.insertsPerSecond).toLocaleString('en')} inserts/s ` +
          `(${Math.round(hotPaths.addCpuMicros)} µs CPU each in this process)`,
      ],
      [
        'messages.byEvent p50 / p99',
        `${hotPaths.p50.toFixed(3)} / ${hotPaths.p99.toFixed(3)} ms ` +
          `(${Math.round(hotPaths.lookupCpuMicros)} µs CPU each in this process)`,
      ],
      ['journal append + markDone', `${Math.round(journalRate).toLocaleString('en')} events/s`],
    ];
    console.log(`\n${engine}`);
    for (const [what, figure] of rows) console.log(`  ${what.padEnd(42)} ${figure}`);
  } finally {
    await backing.discard();
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const engines = (requested.length > 0 ? requested : ['sqlite', 'postgres']) as Array<'sqlite' | 'postgres'>;
  for (const engine of engines) {
    if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`unknown engine "${engine}"`);
    await bench(engine);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
