/**
 * Latency through a real Synapse, both ways, for the IRC, Discord and Telegram bridges, each in the world of
 * its conformance suite (real Synapse; real InspIRCd for IRC; the simulators driven by discord.js and telegraf).
 *
 *   npx tsc -b && node test/dist/bench/bridge-latency.js [irc|discord|telegram|all=all] [messages=100] [rate=5]
 *
 * Per direction, `messages` messages at a steady `rate` per second in one chat (Matrix -> Telegram at most 20 a
 * minute, Telegram's limit for a group, with proportionally fewer messages), and the p50, p99 and max of:
 *  - network -> Matrix: from the remote user's post until the Matrix user's /sync delivers the event;
 *  - Matrix -> network: from the Matrix user's send request until the network user sees the message.
 * Both include Synapse (its event persistence, its appservice push, /sync), so compare them with the
 * homeserver alone from `synapse-latency.js` (a Matrix user to a Matrix user). The machine is shared and noisy.
 */
import { irFromText } from '@trestle/core';
// Types only: the conformance module is not part of the testkit's built package.
import type { ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { discordConformanceWorld } from '../discord/conformance-world';
import { ircConformanceWorld } from '../irc/conformance-world';
import { telegramConformanceWorld } from '../telegram/conformance-world';

interface World<E extends ConformanceEnvironment> {
  setup(): Promise<E>;
  teardown(env: E): Promise<void>;
}

const WORLDS: Record<string, World<never>> = {
  irc: ircConformanceWorld as World<never>,
  discord: discordConformanceWorld as World<never>,
  telegram: telegramConformanceWorld as World<never>,
};

/**
 * Highest Matrix -> network rate that measures latency rather than the network's own limit: the Telegram
 * bridge paces a group's posts to Telegram's 20 a minute (docs/telegram.md), so faster input only queues.
 */
const NETWORK_RATE_LIMITS: Record<string, number> = { telegram: 20 / 60 };

const which = process.argv[2] ?? 'all';
const MESSAGES = Number(process.argv[3] ?? 100);
const RATE = Number(process.argv[4] ?? 5);
const WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summary(delays: number[]): string {
  const sorted = [...delays].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}

/** Send `count` messages at `rate` per second; `one(i)` resolves when message i arrived, with its latency. */
async function paced(count: number, rate: number, one: (i: number) => Promise<number>): Promise<number[]> {
  const arrivals: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    arrivals.push(one(i));
  }
  return Promise.all(arrivals);
}

async function measure(name: string, world: World<ConformanceEnvironment>): Promise<void> {
  const env = await world.setup();
  const { driver, matrixUser, roomId } = env;
  const fromNetwork = (text: string) =>
    matrixUser.waitForEvent(roomId, (e) => String(e.content.body ?? '').includes(text), WAIT_MS);
  const onNetwork = (text: string) =>
    driver.expectEvent((e) => e.type === 'message' && e.message.text.includes(text), WAIT_MS);
  try {
    // Warm-up both ways: the ghost registers and joins, the relay and caches get going.
    await driver.post({ body: irFromText(`${name} warm-up in`) });
    await fromNetwork(`${name} warm-up in`);
    await matrixUser.sendText(roomId, `${name} warm-up out`);
    await onNetwork(`${name} warm-up out`);

    const toMatrix = await paced(MESSAGES, RATE, async (i) => {
      const text = `${name} to-matrix ${i}.`;
      const sent = performance.now();
      const arrived = fromNetwork(text);
      await driver.post({ body: irFromText(text) });
      await arrived;
      return performance.now() - sent;
    });
    const outRate = Math.min(RATE, NETWORK_RATE_LIMITS[name] ?? RATE);
    // At a capped rate, fewer messages keep the run about as long as the other direction's.
    const outCount = outRate < RATE ? Math.max(10, Math.round((MESSAGES * outRate) / RATE)) : MESSAGES;
    const toNetwork = await paced(outCount, outRate, async (i) => {
      const text = `${name} to-network ${i}.`;
      const sent = performance.now();
      const arrived = onNetwork(text);
      await matrixUser.sendText(roomId, text);
      await arrived;
      return performance.now() - sent;
    });
    console.log(`${name}, one chat, through Synapse:`);
    console.log(`  ${name} -> Matrix (${MESSAGES} messages at ${RATE}/s): ${summary(toMatrix)}`);
    console.log(
      `  Matrix -> ${name} (${outCount} messages at ${+outRate.toFixed(2)}/s): ${summary(toNetwork)}`,
    );
  } finally {
    await world.teardown(env);
  }
}

async function main(): Promise<void> {
  const names = which === 'all' ? Object.keys(WORLDS) : [which];
  for (const name of names) {
    const world = WORLDS[name];
    if (!world) throw new Error(`unknown bridge "${name}": irc, discord, telegram or all`);
    await measure(name, world as World<ConformanceEnvironment>);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
