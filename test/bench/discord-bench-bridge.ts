/**
 * The bridge process of the Discord benchmark: the core runtime and the Discord connector with a
 * portal seeded for every channel, driven by `discord-bench.ts` over IPC. A module of its own so
 * that the process loads only what a real bridge loads (not the simulator, not matrix-js-sdk),
 * which keeps its RSS figure honest.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { BridgeRuntime, createLogger, openStore } from '@trestle/core';
import { createDiscordConnector, type DiscordConfig } from '@trestle/discord';

export interface BridgeChildConfig {
  homeserverUrl: string;
  discord: DiscordConfig;
  channelIds: string[];
  dir: string;
}

export type ChildMessage =
  { ready: number } | { rss: number; heap: number } | { cpu: number } | { profiled: string };

/** The bridge process: core runtime + Discord connector, portals seeded for every channel. */
async function runBridgeChild(config: BridgeChildConfig): Promise<void> {
  const store = await openStore({ engine: 'sqlite', path: join(config.dir, 'bench.sqlite') });
  for (const [i, chatId] of config.channelIds.entries()) {
    await store.portals.upsert({
      roomId: `!room${i}:bench`,
      chatId,
      kind: 'channel',
      plumbed: false,
      settings: {},
      createdAt: Date.now(),
    });
  }
  const runtime = await BridgeRuntime.start({
    connector: createDiscordConnector(),
    connectorConfig: config.discord,
    store,
    log: createLogger('error'),
    homeserverUrl: config.homeserverUrl,
    domain: 'bench',
    asToken: 'as',
    hsToken: 'hs',
    botLocalpart: 'discordbot',
    userPrefix: '_discord_',
    aliasPrefix: '_discord_',
    bindAddress: '127.0.0.1',
    port: 0,
    retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 100 },
  });
  process.on('message', (m) => {
    if (m === 'rss') {
      global.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ rss, heap: heapUsed });
    } else if (m === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: (user + system) / 1e6 });
    } else if (m === 'profile-start' || m === 'profile-stop' || m === 'heap-snapshot') {
      void profiling(m).then((file) => process.send?.({ profiled: file }));
    } else if (m === 'exit') {
      void runtime.stop().finally(() => process.exit(0));
    }
  });
  process.send?.({ ready: runtime.port });
}

const inspector = new Session();
/**
 * BENCH_PROFILE=<dir>: CPU profile of the measured bursts only, and heap snapshots of the bridge. With
 * BENCH_PROFILE_ALLOCATIONS=1, a sampling profile of what the bursts allocate (`.heapprofile`, garbage
 * included: what the GC has to work through) instead of the CPU profile.
 */
async function profiling(step: 'profile-start' | 'profile-stop' | 'heap-snapshot'): Promise<string> {
  const dir = process.env.BENCH_PROFILE ?? tmpdir();
  const allocations = process.env.BENCH_PROFILE_ALLOCATIONS === '1';
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      inspector.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  if (step === 'heap-snapshot')
    return writeHeapSnapshot(join(dir, `discord-bridge-${Date.now()}.heapsnapshot`));
  if (step === 'profile-start') {
    inspector.connect();
    if (allocations)
      await post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    else {
      await post('Profiler.enable');
      await post('Profiler.start');
    }
    return '';
  }
  const { profile } = (await post(allocations ? 'HeapProfiler.stopSampling' : 'Profiler.stop')) as {
    profile: unknown;
  };
  inspector.disconnect();
  const file = join(dir, `discord-bridge-${Date.now()}.${allocations ? 'heapprofile' : 'cpuprofile'}`);
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

void runBridgeChild(JSON.parse(process.argv[2]!) as BridgeChildConfig);
