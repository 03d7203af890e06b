/**
 * Virtual users after an ircd restart: how long until every user is back in the channel, whether
 * the most recently active came back first, and whether what Matrix users said during the outage
 * reached IRC. Runs the whole bridge (core journal and retries included) against a real InspIRCd
 * that is stopped and started again on the same port, and a null homeserver.
 *
 *   npx tsc -b && node test/dist/bench/irc-restart-bench.js [users=1000] [perSecond=50] [outageMessages=20]
 *
 * Users join one portal (their virtual users connect through the connect gate), then each writes
 * once in a shuffled order, which sets who is most recently active. InspIRCd is killed; while it is
 * down, `outageMessages` of the least recently active users write again; InspIRCd is started again.
 * A raw IRC listener in the channel records the order of the JOINs and the lines that arrive; after
 * the restart it is in the channel before the first user is back, and the time to "all back" counts
 * from the moment the restarted server accepted its first connection.
 * `BENCH_PROGRESS=1` prints what is still missing every 10 s; `BENCH_LOG=warn` shows the bridge log.
 */
import { findFreePort, startInspircd, type RunningIrcServer } from '@trestle/testkit';
import { BENCH_DOMAIN, startBenchBridge } from './irc-bench-bridge';
import { startNullHomeserver } from './irc-bench-homeserver';
import { exitOnSignals, ownCpuSeconds } from './irc-bench-processes';
import { RawIrcClient } from './irc-bench-raw-client';

const USERS = Number(process.argv[2] ?? 1000);
const PER_SECOND = Number(process.argv[3] ?? 50);
const OUTAGE_MESSAGES = Number(process.argv[4] ?? 20);
const CHANNEL = '#bench';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nickOf = (i: number) => `u${i}`;

/** The channel as a listener sees it: JOIN order of virtual users and their lines. */
class ChannelWatch {
  readonly joins: string[] = [];
  readonly lines = new Set<string>();

  constructor(client: RawIrcClient) {
    client.onLine((line) => {
      // Users already in the channel when the listener joined came back before it: first in order.
      const names = / 353 \S+ \S+ \S+ :(.*)$/.exec(line);
      if (names)
        for (const member of names[1]!.split(' ')) {
          const nick = member.replace(/^[~&@%+]+/, '');
          if (/^u\d+$/.test(nick)) this.joins.push(nick);
        }
      const m = /^:([^!]+)!\S+ (JOIN|PRIVMSG) :?(\S+)(?: :(.*))?$/.exec(line);
      if (!m || !/^u\d+$/.test(m[1]!)) return;
      if (m[2] === 'JOIN') this.joins.push(m[1]!);
      else this.lines.add(m[4] ?? '');
    });
  }
}

async function startIrcd(port: number): Promise<RunningIrcServer> {
  return startInspircd({ extraConfig: `<bind address="127.0.0.1" port="${port}" type="clients">` });
}

async function watchChannel(port: number): Promise<ChannelWatch> {
  const client = await RawIrcClient.connect('127.0.0.1', port, 'listener');
  const watch = new ChannelWatch(client);
  await client.join([CHANNEL]);
  return watch;
}

/**
 * Watch the channel from the moment a restarting server accepts connections (trying every 20 ms),
 * so the listener registers no later than the bridge bot and sees every virtual user's JOIN: users
 * back before it joined would only be listed by NAMES, in no particular order. Resolves with the
 * watch and the time the server first accepted the connection.
 */
async function watchChannelOnceUp(port: number): Promise<{ watch: ChannelWatch; upAt: number }> {
  for (;;) {
    const attemptAt = performance.now();
    try {
      return { watch: await watchChannel(port), upAt: attemptAt };
    } catch {
      await sleep(20);
    }
  }
}

let progress = (): unknown => undefined;

async function until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let report = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (Date.now() > report && process.env.BENCH_PROGRESS) {
      report += 10_000;
      console.log(`  … still waiting for ${what}`, progress());
    }
    await sleep(20);
  }
}

/** Share of pairs (a before b) in `actual` that agree with `expected` order: 1 = same order, 0.5 = random. */
function pairOrderAgreement(expected: string[], actual: string[]): number {
  const rank = new Map(expected.map((nick, i) => [nick, i]));
  const ranks = actual.map((nick) => rank.get(nick)!).filter((r) => r !== undefined);
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < ranks.length; i++) {
    for (let j = i + 1; j < ranks.length; j++) {
      pairs++;
      if (ranks[i]! < ranks[j]!) agree++;
    }
  }
  return agree / pairs;
}

async function main(): Promise<void> {
  exitOnSignals();
  const ircPort = await findFreePort();
  let ircd = await startIrcd(ircPort);
  const hsPort = await findFreePort();
  const homeserver = await startNullHomeserver(hsPort, BENCH_DOMAIN);
  const bench = await startBenchBridge(
    hsPort,
    {
      host: '127.0.0.1',
      port: ircPort,
      virtualUsers: { enabled: true, maxConnections: USERS, nickTemplate: 'u$LOCALPART', idleMinutes: 0 },
      floodControl: { linesPerSecond: 1000, burst: 1000 },
    },
    {
      connectRate: { perSecond: PER_SECOND, jitterMs: 200, reconnectInitialMs: 1000, reconnectMaxMs: 30_000 },
    },
  );
  await bench.queryAlias(`#irc_bench_${CHANNEL}:${BENCH_DOMAIN}`);
  const rooms = await fetch(`http://127.0.0.1:${hsPort}/_rooms`).then(
    (r) => r.json() as Promise<Record<string, string>>,
  );
  const roomId = rooms[`irc_bench_${CHANNEL}`]!;
  let watch = await watchChannel(ircPort);
  progress = () => {
    const back = new Set(watch.joins);
    const missing = Array.from({ length: USERS }, (_, i) => nickOf(i)).filter((n) => !back.has(n));
    return { joins: back.size, lines: watch.lines.size, missing: missing.slice(0, 10) };
  };

  const userId = (i: number) => `@${i}:${BENCH_DOMAIN}`;
  const event = (i: number, body: string, n: number) => ({
    type: 'm.room.message',
    room_id: roomId,
    sender: userId(i),
    event_id: `$${body.replace(/\W/g, '')}-${n}`,
    origin_server_ts: Date.now(),
    content: { msgtype: 'm.text', body },
  });

  // Everyone joins the portal: their virtual users connect through the gate.
  let t0 = performance.now();
  for (let i = 0; i < USERS; i += 100) {
    await bench.transaction(
      Array.from({ length: Math.min(100, USERS - i) }, (_, k) => ({
        type: 'm.room.member',
        room_id: roomId,
        sender: userId(i + k),
        state_key: userId(i + k),
        event_id: `$join-${i + k}`,
        origin_server_ts: Date.now(),
        content: { membership: 'join' },
      })),
    );
  }
  await until(
    'first connection of every user',
    USERS * (2000 / PER_SECOND) + 60_000,
    () => watch.joins.length >= USERS,
  );
  const firstSeconds = (performance.now() - t0) / 1000;
  console.log(`IRC virtual users after an InspIRCd restart: ${USERS} users, connect cap ${PER_SECOND}/s`);
  console.log(
    `  first connection: ${USERS} users in the channel after ${firstSeconds.toFixed(1)} s (${(USERS / firstSeconds).toFixed(0)}/s)`,
  );

  // Each user writes once, in shuffled order (a few ms apart): the last to write is the most recently active.
  const activity = Array.from({ length: USERS }, (_, i) => i).sort(() => Math.random() - 0.5);
  for (let i = 0; i < USERS; i += 10) {
    await bench.transaction(activity.slice(i, i + 10).map((u, k) => event(u, `active ${u}`, i + k)));
    await sleep(5);
  }
  t0 = performance.now();
  await until('every activity line', 300_000, () => watch.lines.size >= USERS);
  console.log(`  activity: one line from each user, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await sleep(500);

  // Restart InspIRCd; the least recently active write while it is down.
  await ircd.stop();
  const outageSenders = activity.slice(0, OUTAGE_MESSAGES);
  // Writing makes the outage senders the most recently active of all.
  const mostRecentFirst = [
    ...outageSenders.slice().reverse(),
    ...activity.slice(OUTAGE_MESSAGES).reverse(),
  ].map(nickOf);
  await bench.transaction(outageSenders.map((u, k) => event(u, `during outage ${u}`, k)));
  await sleep(1000);
  const cpu0 = process.cpuUsage();
  const restarted = startIrcd(ircPort);
  ({ watch, upAt: t0 } = await watchChannelOnceUp(ircPort));
  ircd = await restarted;
  await until(
    'every user back in the channel',
    USERS * (3000 / PER_SECOND) + 120_000,
    () => new Set(watch.joins).size >= USERS,
  );
  const backSeconds = (performance.now() - t0) / 1000;
  const cpuSeconds = ownCpuSeconds(cpu0);
  await until('the lines said during the outage', 60_000, () =>
    outageSenders.every((u) => watch.lines.has(`during outage ${u}`)),
  ).catch(() => undefined);
  const arrived = outageSenders.filter((u) => watch.lines.has(`during outage ${u}`)).length;

  const order = [...new Set(watch.joins)];
  const tenth = Math.ceil(USERS / 10);
  const topTenth = new Set(mostRecentFirst.slice(0, tenth));
  const firstBack = order.slice(0, tenth).filter((nick) => topTenth.has(nick)).length;
  console.log(
    `  after the restart: all ${USERS} back in ${backSeconds.toFixed(1)} s (${(USERS / backSeconds).toFixed(0)}/s; ideal at the cap ${(USERS / PER_SECOND).toFixed(1)} s); ` +
      `bridge process ${cpuSeconds.toFixed(1)} CPU-s (${(USERS / cpuSeconds).toFixed(0)} users back per CPU-s)`,
  );
  console.log(
    `  order: ${(pairOrderAgreement(mostRecentFirst, order) * 100).toFixed(1)} % of pairs most-recently-active first ` +
      `(50 % = random); ${firstBack} of the ${tenth} most recently active were in the first ${tenth} back`,
  );
  console.log(
    `  lines written in Matrix during the outage that reached IRC: ${arrived} of ${outageSenders.length}`,
  );

  await bench.stop();
  homeserver.kill();
  await ircd.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
