/**
 * Discord bridge benchmark: the real connector (discord.js) and the core runtime in a child process,
 * between the Discord simulator (this process) and a null homeserver (a third process).
 *
 *   npx tsc -b && node test/dist/bench/discord-bench.js
 *
 * Prints the median of several runs (after one uncounted warm-up run per direction) of: Discord -> Matrix messages/s (a burst spread over 100
 * channels, from message creation on the simulator until the null homeserver got every event),
 * Matrix -> Discord messages/s (appservice transactions in, webhook messages stored by the
 * simulator), and the bridge process's RSS with 100 bridged channels and 1,000 ghosts.
 * The simulator shares this machine's cores, so the figures are a floor, not a ceiling; the
 * per-CPU-second figures (the bridge process's own CPU time) are the steadier ones.
 *
 * Environment: BENCH_ONLY=to-matrix|to-discord|limits runs one part; BENCH_RUNS=<n>;
 * BENCH_NODE_FLAGS='<flags>' passes V8 flags to the bridge process;
 * BENCH_PROFILE=<dir> writes a CPU profile of each measured burst and a heap snapshot of the bridge.
 *
 *   node test/dist/bench/discord-bench.js latency
 *
 * measures p50/p99 latency Discord -> Matrix through a real Synapse instead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator, MatrixTestUser } from '@trestle/testkit';
import { startDiscordBridgeWorld } from '../discord/discord-bridge-world';
import type { BridgeChildConfig, ChildMessage } from './discord-bench-bridge';
import { realisticEventId } from './event-ids';

const CHANNELS = 100;
const GHOSTS = 1000;
const BURST = 3000;
const RUNS = 3;
/** Messages for the run under Discord's real limits (about 50/s at best), after a warm-up. */
const LIMITED_BURST = 1000;
const LATENCY_MESSAGES = Number(process.env.LATENCY_MESSAGES ?? 100);
/** Messages per second in the latency run (LATENCY_RATE): one busy channel. */
const LATENCY_RATE = Number(process.env.LATENCY_RATE ?? 5);

function forkNullHomeserver(): Promise<{ url: string; child: ChildProcess; count(): Promise<number> }> {
  const child = fork(join(__dirname, 'null-homeserver.js'));
  const count = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { events: number }) => resolve(m.events));
      child.send('count');
    });
  return new Promise((resolve) =>
    child.once('message', (m: { port: number }) =>
      resolve({ url: `http://127.0.0.1:${m.port}`, child, count }),
    ),
  );
}

function ask<T extends ChildMessage>(child: ChildProcess, request: string, key: keyof T): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: ChildMessage) => {
      if (!(key in m)) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    if (request) child.send(request);
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('benchmark step timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function putTransaction(port: number, agent: http.Agent, txnId: string, events: unknown[]): Promise<void> {
  const body = JSON.stringify({ events });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: `/_matrix/app/v1/transactions/${txnId}`,
        agent,
        headers: { authorization: 'Bearer hs', 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`txn ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Burst {
  /** Messages per wall-clock second. */
  wall: number;
  /** Messages per CPU-second of the bridge process (user + system): steadier on a shared machine. */
  cpu: number;
  /**
   * Share of one core the simulator (this process) used during the burst: near 1 would make it
   * the bottleneck of the wall-clock figure.
   */
  simulatorLoad: number;
}

/** Time one burst: `start` fires it, `done` says when every message arrived. */
async function measureBurst(
  bridge: ChildProcess,
  count: number,
  start: () => void | Promise<void>,
  done: () => boolean | Promise<boolean>,
): Promise<Burst> {
  const profile = Boolean(process.env.BENCH_PROFILE);
  if (profile) await ask(bridge, 'profile-start', 'profiled');
  const cpuBefore = (await ask<{ cpu: number }>(bridge, 'cpu', 'cpu')).cpu;
  const simulatorBefore = process.cpuUsage();
  const started = performance.now();
  await start();
  await until(done);
  const seconds = (performance.now() - started) / 1000;
  const simulatorCpu = process.cpuUsage(simulatorBefore);
  const cpuSeconds = (await ask<{ cpu: number }>(bridge, 'cpu', 'cpu')).cpu - cpuBefore;
  if (profile)
    console.log('profile:', (await ask<{ profiled: string }>(bridge, 'profile-stop', 'profiled')).profiled);
  return {
    wall: count / seconds,
    cpu: count / cpuSeconds,
    simulatorLoad: (simulatorCpu.user + simulatorCpu.system) / 1e6 / seconds,
  };
}

interface World {
  sim: DiscordSimulator;
  channels: Array<{ id: string }>;
  members: Array<{ id: string; username: string }>;
  homeserver: Awaited<ReturnType<typeof forkNullHomeserver>>;
}

async function startBridge(
  world: World,
  realLimits: boolean,
): Promise<{ child: ChildProcess; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-discord-bench-'));
  const config: BridgeChildConfig = {
    homeserverUrl: world.homeserver.url,
    dir,
    channelIds: world.channels.map((c) => c.id),
    discord: {
      botToken: world.sim.token,
      apiUrl: world.sim.apiUrl,
      cdnUrl: world.sim.baseUrl,
      guilds: [],
      webhookName: 'Trestle bridge',
      displayNameSuffix: ' (Matrix)',
      mentions: { everyone: false, roles: false },
      messageContentIntent: true,
      // Unthrottled runs measure the bridge itself; real Discord holds a bot to 50 requests/s.
      linkApproval: true,
      globalRequestsPerSecond: realLimits ? 50 : 100_000,
      channelInfoFromMatrix: true,
      // Off: mirroring 1,000 members into 100 portals at start (100,000 joins) would run during the bursts.
      maxGuildMembers: 0,
      mirrorGuildMembers: 0,
    },
  };
  // BENCH_NODE_FLAGS: V8 flags for the bridge process, e.g. to compare memory settings.
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = fork(join(__dirname, 'discord-bench-bridge.js'), [JSON.stringify(config)], {
    execArgv: ['--expose-gc', ...flags],
  });
  const { ready: port } = await ask<{ ready: number }>(child, '', 'ready');
  return { child, port, dir };
}

async function stopBridge(bridge: { child: ChildProcess; dir: string }): Promise<void> {
  const exited = new Promise((resolve) => bridge.child.once('exit', resolve));
  bridge.child.send('exit');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  bridge.child.kill();
  rmSync(bridge.dir, { recursive: true, force: true });
}

function matrixToDiscordBurst(port: number, label: string, count: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const perTxn = 50;
  const send = async () => {
    const sends: Promise<void>[] = [];
    for (let t = 0; t < count / perTxn; t++) {
      const events = Array.from({ length: perTxn }, (_, k) => {
        const i = t * perTxn + k;
        return {
          type: 'm.room.message',
          event_id: realisticEventId(`bench-${label}-${i}`),
          room_id: `!room${i % CHANNELS}:bench`,
          sender: `@matrixuser${i % 10}:bench`,
          origin_server_ts: Date.now(),
          content: { msgtype: 'm.text', body: `from matrix ${label}/${i}` },
        };
      });
      sends.push(putTransaction(port, agent, `bench-${label}-${t}`, events));
    }
    await Promise.all(sends);
  };
  return { send, close: () => agent.destroy() };
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY; // 'to-matrix' | 'to-discord' | 'limits' (profiling one path)
  const runs = Number(process.env.BENCH_RUNS ?? RUNS);
  const sim = await DiscordSimulator.start();
  const guild = sim.createGuild({ name: 'Bench' });
  const world: World = {
    sim,
    channels: Array.from({ length: CHANNELS }, (_, i) => sim.createChannel(guild.id, { name: `c${i}` })),
    members: Array.from({ length: GHOSTS }, (_, i) => sim.addMember(guild.id, { username: `user${i}` })),
    homeserver: await forkNullHomeserver(),
  };
  // A counter, not a scan of the simulator's messages: polling must not slow the simulator down.
  const webhookMessages = () => sim.restCalls('POST /webhooks/:webhook_id/:token');
  // Under rate limits some calls are refused, so count what was stored (slow, but so is that run).
  const storedWebhookMessages = () =>
    world.channels.reduce((n, c) => n + sim.messages(c.id).filter((m) => m.webhook !== undefined).length, 0);
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const rate = (bursts: Burst[]) =>
    `${median(bursts.map((b) => b.wall)).toFixed(0)} msg/s wall, ${median(bursts.map((b) => b.cpu)).toFixed(0)} msg per bridge CPU-second` +
    ` (runs: ${bursts.map((b) => `${b.wall.toFixed(0)}/${b.cpu.toFixed(0)}`).join(', ')};` +
    ` simulator busy ${median(bursts.map((b) => b.simulatorLoad * 100)).toFixed(0)} % of a core)`;
  try {
    if (only !== 'limits') {
      const bridge = await startBridge(world, false);
      const idle = await ask<{ rss: number; heap: number }>(bridge.child, 'rss', 'rss');
      // Every member speaks once: 1,000 ghosts registered with profiles, spread over the channels.
      let before = await world.homeserver.count();
      for (const [i, member] of world.members.entries())
        sim.asUser(member.id).send(world.channels[i % CHANNELS]!.id, `hello from ${member.username}`);
      await until(async () => (await world.homeserver.count()) >= before + GHOSTS);
      const loaded = await ask<{ rss: number; heap: number }>(bridge.child, 'rss', 'rss');
      if (process.env.BENCH_PROFILE)
        console.log(
          'heap:',
          (await ask<{ profiled: string }>(bridge.child, 'heap-snapshot', 'profiled')).profiled,
        );

      // Run -1 of each direction is a warm-up, not counted: JIT, heap growth, and on the way to
      // Discord the one-time webhook creation in each channel and the senders' profile lookups.
      const toMatrix: Burst[] = [];
      for (let run = -1; run < runs && only !== 'to-discord'; run++) {
        before = await world.homeserver.count();
        const burst = await measureBurst(
          bridge.child,
          BURST,
          () => {
            for (let i = 0; i < BURST; i++)
              sim
                .asUser(world.members[i % GHOSTS]!.id)
                .send(world.channels[i % CHANNELS]!.id, `burst ${run} message ${i}`);
          },
          async () => (await world.homeserver.count()) >= before + BURST,
        );
        if (run >= 0) toMatrix.push(burst);
      }
      const toDiscord: Burst[] = [];
      for (let run = -1; run < runs && only !== 'to-matrix'; run++) {
        const already = webhookMessages();
        const burst = matrixToDiscordBurst(bridge.port, `free-${run}`, BURST);
        const measured = await measureBurst(
          bridge.child,
          BURST,
          burst.send,
          () => webhookMessages() >= already + BURST,
        );
        if (run >= 0) toDiscord.push(measured);
        burst.close();
      }
      const after = await ask<{ rss: number; heap: number }>(bridge.child, 'rss', 'rss');
      await stopBridge(bridge);
      if (toMatrix.length)
        console.log(`Discord -> Matrix, ${BURST} messages over ${CHANNELS} channels: ${rate(toMatrix)}`);
      if (toDiscord.length)
        console.log(
          `Matrix -> Discord, ${BURST} messages over ${CHANNELS} channels, no rate limits: ${rate(toDiscord)}`,
        );
      console.log(
        `Bridge RSS (JavaScript heap in use): ${mb(idle.rss)} (${mb(idle.heap)}) idle with ${CHANNELS} portals, ${mb(loaded.rss)} (${mb(loaded.heap)}) with ${GHOSTS} ghosts, ${mb(after.rss)} (${mb(after.heap)}) after the bursts`,
      );
    }
    if (!only || only === 'limits') {
      // Discord's real limits, enforced by the simulator: 50 requests/s per bot, 5 per 2 s per webhook.
      sim.enforceRateLimits();
      const bridge = await startBridge(world, true);
      // One message per channel first: the fresh bridge looks up each channel's webhook (one more
      // request each), which a bridge that has been running has long done.
      const warmed = storedWebhookMessages();
      const warmUp = matrixToDiscordBurst(bridge.port, 'limited-warm-up', CHANNELS);
      await warmUp.send();
      await until(() => storedWebhookMessages() >= warmed + CHANNELS);
      warmUp.close();
      const count = LIMITED_BURST;
      const already = storedWebhookMessages();
      const warmUpRefusals = sim.rateLimitedResponses;
      const burst = matrixToDiscordBurst(bridge.port, 'limited', count);
      const limited = await measureBurst(
        bridge.child,
        count,
        burst.send,
        () => storedWebhookMessages() >= already + count,
      );
      burst.close();
      await stopBridge(bridge);
      console.log(
        `Matrix -> Discord, ${count} messages over ${CHANNELS} channels, Discord's rate limits: ${limited.wall.toFixed(0)} msg/s wall (limit 50), ${sim.rateLimitedResponses - warmUpRefusals} 429s (${warmUpRefusals} while warming up)`,
      );
    }
  } finally {
    world.homeserver.child.kill();
    await sim.stop();
  }
}

/**
 * Latency through a real Synapse: a Discord user posts LATENCY_MESSAGES messages at a steady pace;
 * each is timed from the post on the simulator until the Matrix user's sync delivers it.
 */
async function latency(): Promise<void> {
  const w = await startDiscordBridgeWorld();
  const user = await MatrixTestUser.register(w.world.synapse, 'latency', { displayName: 'Latency' });
  try {
    const room = await user.joinRoom(w.aliasOf(w.general));
    // Warm up: the ghost registers and joins on its first message.
    w.sim.asUser(w.dana.id).send(w.general.id, 'warm-up');
    await user.waitForEvent(room, (e) => e.content.body === 'warm-up');
    const delays: number[] = [];
    const arrivals: Promise<void>[] = [];
    for (let i = 0; i < LATENCY_MESSAGES; i++) {
      const body = `latency ${i}`;
      const sent = performance.now();
      arrivals.push(
        user
          .waitForEvent(room, (e) => e.content.body === body, 60_000)
          .then(() => {
            delays.push(performance.now() - sent);
          }),
      );
      w.sim.asUser(w.dana.id).send(w.general.id, body);
      await new Promise((r) => setTimeout(r, 1000 / LATENCY_RATE));
    }
    await Promise.all(arrivals);
    const sorted = delays.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
    console.log(
      `Discord -> Synapse -> Matrix client, ${LATENCY_MESSAGES} messages at ${LATENCY_RATE}/s: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
    );
  } finally {
    await user.stop();
    await w.stop();
  }
}

(process.argv[2] === 'latency' ? latency() : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
