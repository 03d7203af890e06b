/**
 * Discord bridge benchmark: the real connector (discord.js) and the core runtime in a child process,
 * between the Discord simulator (this process) and a null homeserver (a third process).
 *
 *   npx tsc -b && node test/dist/bench/discord-bench.js
 *
 * Prints the median of several runs of: Discord -> Matrix messages/s (a burst spread over 100
 * channels, from message creation on the simulator until the null homeserver got every event),
 * Matrix -> Discord messages/s (appservice transactions in, webhook messages stored by the
 * simulator), and the bridge process's RSS with 100 bridged channels and 1,000 ghosts.
 * The simulator shares this machine's cores, so the figures are a floor, not a ceiling.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeRuntime, createLogger, openStore } from '@trestle/core';
import { createDiscordConnector, type DiscordConfig } from '@trestle/discord';
import { DiscordSimulator } from '@trestle/testkit';

const CHANNELS = 100;
const GHOSTS = 1000;
const BURST = 3000;
const RUNS = 3;

interface BridgeChildConfig {
  homeserverUrl: string;
  discord: DiscordConfig;
  channelIds: string[];
  dir: string;
}

type ChildMessage = { ready: number } | { rss: number };

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
      process.send?.({ rss: process.memoryUsage().rss });
    }
  });
  process.send?.({ ready: runtime.port });
}

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

async function main(): Promise<void> {
  const sim = await DiscordSimulator.start();
  const guild = sim.createGuild({ name: 'Bench' });
  const channels = Array.from({ length: CHANNELS }, (_, i) => sim.createChannel(guild.id, { name: `c${i}` }));
  const members = Array.from({ length: GHOSTS }, (_, i) => sim.addMember(guild.id, { username: `user${i}` }));
  const homeserver = await forkNullHomeserver();
  const dir = mkdtempSync(join(tmpdir(), 'trestle-discord-bench-'));
  const config: BridgeChildConfig = {
    homeserverUrl: homeserver.url,
    dir,
    channelIds: channels.map((c) => c.id),
    discord: {
      botToken: sim.token,
      apiUrl: sim.apiUrl,
      cdnUrl: sim.baseUrl,
      guilds: [],
      webhookName: 'Trestle bridge',
      displayNameSuffix: ' (Matrix)',
      mentions: { everyone: false, roles: false },
      messageContentIntent: true,
    },
  };
  const bridge = fork(__filename, ['bridge', JSON.stringify(config)], { execArgv: ['--expose-gc'] });
  try {
    const { ready: port } = await ask<{ ready: number }>(bridge, '', 'ready');
    const rssIdle = (await ask<{ rss: number }>(bridge, 'rss', 'rss')).rss;

    // Every member speaks once: 1,000 ghosts registered with profiles, spread over the channels.
    let before = await homeserver.count();
    for (const [i, member] of members.entries())
      sim.asUser(member.id).send(channels[i % CHANNELS]!.id, `hello from ${member.username}`);
    await until(async () => (await homeserver.count()) >= before + GHOSTS);
    const rssLoaded = (await ask<{ rss: number }>(bridge, 'rss', 'rss')).rss;

    const toMatrix: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      before = await homeserver.count();
      const started = performance.now();
      for (let i = 0; i < BURST; i++)
        sim.asUser(members[i % GHOSTS]!.id).send(channels[i % CHANNELS]!.id, `burst ${run} message ${i}`);
      await until(async () => (await homeserver.count()) >= before + BURST);
      toMatrix.push(BURST / ((performance.now() - started) / 1000));
    }

    const toDiscord: number[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const webhookMessages = () =>
      channels.reduce((n, c) => n + sim.messages(c.id).filter((m) => m.webhook !== undefined).length, 0);
    for (let run = 0; run < RUNS; run++) {
      const already = webhookMessages();
      const started = performance.now();
      const perTxn = 50;
      const sends: Promise<void>[] = [];
      for (let t = 0; t < BURST / perTxn; t++) {
        const events = Array.from({ length: perTxn }, (_, k) => {
          const i = t * perTxn + k;
          return {
            type: 'm.room.message',
            event_id: `$bench-${run}-${i}`,
            room_id: `!room${i % CHANNELS}:bench`,
            sender: `@matrixuser${i % 10}:bench`,
            origin_server_ts: Date.now(),
            content: { msgtype: 'm.text', body: `from matrix ${run}/${i}` },
          };
        });
        sends.push(putTransaction(port, agent, `bench-${run}-${t}`, events));
      }
      await Promise.all(sends);
      await until(() => webhookMessages() >= already + BURST);
      toDiscord.push(BURST / ((performance.now() - started) / 1000));
    }
    agent.destroy();
    const rssAfter = (await ask<{ rss: number }>(bridge, 'rss', 'rss')).rss;

    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const rate = (values: number[]) =>
      `${median(values).toFixed(0)} msg/s (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`;
    console.log(`Discord -> Matrix, ${BURST} messages over ${CHANNELS} channels: ${rate(toMatrix)}`);
    console.log(`Matrix -> Discord, ${BURST} messages over ${CHANNELS} channels: ${rate(toDiscord)}`);
    console.log(
      `Bridge RSS: ${mb(rssIdle)} idle with ${CHANNELS} portals, ${mb(rssLoaded)} with ${GHOSTS} ghosts, ${mb(rssAfter)} after the bursts`,
    );
  } finally {
    bridge.kill();
    homeserver.child.kill();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'bridge') {
  void runBridgeChild(JSON.parse(process.argv[3]!) as BridgeChildConfig);
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
