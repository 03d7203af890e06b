/**
 * IRC bridge throughput: messages/s each way through the whole bridge (core + connector) against a
 * real InspIRCd and a null homeserver, for several numbers of channels (portals) at once.
 *
 *   npx tsc -b && node test/dist/bench/irc-bench.js [messages=3000] [runs=3] [channels=1,10,100]
 *
 * Four processes: the bridge (this one), InspIRCd, a null homeserver that answers every Matrix call
 * at once, and a driver (irc-bench-driver) that speaks raw IRC and pushes appservice transactions.
 * Each figure is given by the clock and per CPU-second of the bridge process, with the CPU the ircd
 * spent, so it is clear which side is the bottleneck.
 *
 * IRC -> Matrix: the driver floods the channels round-robin; timed until the null homeserver has
 * received every `m.room.message`. Matrix -> IRC: transactions of 100 events round-robin over the
 * rooms; timed until the driver's listener has seen every relayed line. Relay mode, flood control
 * lifted; messages in each channel are checked to arrive in order.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort, startInspircd } from '@trestle/testkit';
import { BENCH_DOMAIN, startBenchBridge } from './irc-bench-bridge';
import type { DriverAnswer, DriverCommand } from './irc-bench-driver';
import { startNullHomeserver } from './irc-bench-homeserver';
import { cpuSecondsOf, exitOnSignals, inspircdPid, median, ownCpuSeconds } from './irc-bench-processes';

const MESSAGES = Number(process.argv[2] ?? 3000);
const RUNS = Number(process.argv[3] ?? 3);
const CHANNEL_COUNTS = (process.argv[4] ?? '1,10,100').split(',').map(Number);
const DOMAIN = BENCH_DOMAIN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The driver process: one command at a time, answered in order. */
function startDriver(): { ask(cmd: DriverCommand): Promise<DriverAnswer>; child: ChildProcess } {
  const child = fork(join(__dirname, 'irc-bench-driver.js'));
  process.once('exit', () => child.kill());
  const ask = (cmd: DriverCommand) =>
    new Promise<DriverAnswer>((resolve, reject) => {
      child.once('message', (answer: DriverAnswer) =>
        answer.op === 'error' ? reject(new Error(answer.message)) : resolve(answer),
      );
      child.send(cmd);
    });
  return { ask, child };
}

interface Sample {
  clock: number;
  perBridgeCpu: number;
  bridgeCpuShare: number;
  ircdCpuShare: number;
}

/** Time `work`, with the CPU each process spent meanwhile (a share of 1 = one core busy all along). */
async function measure(pids: { ircd: number }, count: number, work: () => Promise<void>): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const ircd0 = cpuSecondsOf(pids.ircd);
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const bridgeCpu = ownCpuSeconds(cpu0);
  return {
    clock: count / seconds,
    perBridgeCpu: count / bridgeCpu,
    bridgeCpuShare: bridgeCpu / seconds,
    ircdCpuShare: (cpuSecondsOf(pids.ircd) - ircd0) / seconds,
  };
}

function describe(samples: Sample[]): string {
  const m = (pick: (s: Sample) => number) => median(samples.map(pick));
  return (
    `median ${m((s) => s.clock).toFixed(0)} msg/s by the clock, ${m((s) => s.perBridgeCpu).toFixed(0)} per bridge CPU-s; ` +
    `CPU busy: bridge ${(m((s) => s.bridgeCpuShare) * 100).toFixed(0)} %, ircd ${(m((s) => s.ircdCpuShare) * 100).toFixed(0)} %` +
    `  (runs: ${samples.map((s) => s.clock.toFixed(0)).join(', ')})`
  );
}

async function main(): Promise<void> {
  exitOnSignals();
  const ircd = await startInspircd();
  const pids = { ircd: inspircdPid(ircd.logFile) };
  const hsPort = await findFreePort();
  const homeserver = await startNullHomeserver(hsPort, DOMAIN);
  const rssBefore = process.memoryUsage().rss;
  const bench = await startBenchBridge(hsPort, {
    host: ircd.host,
    port: ircd.port,
    relay: { enabled: true },
    floodControl: { linesPerSecond: 1_000_000, burst: 1_000_000 },
  });

  const channels = Array.from({ length: Math.max(...CHANNEL_COUNTS) }, (_, i) => `#bench${i}`);
  const driver = startDriver();
  await driver.ask({ op: 'setup', host: ircd.host, port: ircd.port, channels });
  const hs = <T>(path: string) =>
    fetch(`http://127.0.0.1:${hsPort}${path}`).then((r) => r.json() as Promise<T>);
  await Promise.all(channels.map((channel) => bench.queryAlias(`#irc_bench_${channel}:${DOMAIN}`)));
  const roomsByAlias = await hs<Record<string, string>>('/_rooms');
  const roomOf = (channel: string) => {
    const room = roomsByAlias[`irc_bench_${channel}`];
    if (!room) throw new Error(`no room for ${channel}`);
    return room;
  };

  console.log(`IRC bridge, ${MESSAGES} messages x ${RUNS} runs per direction (InspIRCd, null homeserver)`);
  for (const count of CHANNEL_COUNTS) {
    const used = channels.slice(0, count);
    const toMatrix: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = (await hs<{ messages: number }>('/_count')).messages;
      toMatrix.push(
        await measure(pids, MESSAGES, async () => {
          await driver.ask({ op: 'flood', channels: used, count: MESSAGES, prefix: `c${count}r${run}` });
          while ((await hs<{ messages: number }>('/_count')).messages < start + MESSAGES) await sleep(10);
        }),
      );
    }
    const { outOfOrder } = await hs<{ outOfOrder: number }>('/_count');
    if (outOfOrder)
      throw new Error(`${outOfOrder} IRC -> Matrix messages arrived out of order in their room`);

    const toIrc: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      toIrc.push(
        await measure(pids, MESSAGES, async () => {
          const answer = await driver.ask({
            op: 'transactions',
            asUrl: bench.url,
            hsToken: bench.hsToken,
            rooms: used.map(roomOf),
            channels: used,
            count: MESSAGES,
            prefix: `x${count}r${run}`,
            botNick: 'BenchBot',
            sender: `@user:${DOMAIN}`,
          });
          if (answer.op === 'relayed' && answer.outOfOrder)
            throw new Error(`${answer.outOfOrder} Matrix -> IRC lines arrived out of order in their channel`);
        }),
      );
    }
    console.log(`  ${count} channel(s):`);
    console.log(`    IRC -> Matrix: ${describe(toMatrix)}`);
    console.log(`    Matrix -> IRC: ${describe(toIrc)}`);
  }
  const rss = process.memoryUsage().rss;
  console.log(
    `  RSS: ${(rss / 1e6).toFixed(0)} MB (bridge added ${((rss - rssBefore) / 1e6).toFixed(0)} MB)`,
  );

  await driver.ask({ op: 'quit' });
  await bench.stop();
  homeserver.kill();
  driver.child.kill();
  await ircd.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
