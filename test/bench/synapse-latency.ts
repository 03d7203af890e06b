/**
 * What the bridge adds to latency through a real Synapse. Two measurements on the same homeserver, same
 * receiving matrix-js-sdk client, same rate:
 *  - direct: a second matrix-js-sdk user sends to the room;
 *  - bridged: a loopback-network user posts, the loopback bridge (its own process) relays into the room.
 * Latency is from send (or network post) until the receiving client's /sync delivers the event.
 *
 *   npx tsc -b && node test/dist/bench/synapse-latency.js [messages=300] [rate=20]
 */
import { MatrixTestUser, startLoopbackWorld } from '@trestle/testkit';

const N = Number(process.argv[2] ?? 300);
const RATE = Number(process.argv[3] ?? 20);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function paced(send: (i: number) => void) {
  const start = Date.now();
  for (let i = 0; i < N; i++) {
    const wait = start + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    send(i);
  }
}

async function main() {
  const world = await startLoopbackWorld();
  await world.startBridge();
  try {
    const reader = await MatrixTestUser.register(world.synapse, 'reader');
    const writer = await MatrixTestUser.register(world.synapse, 'writer');
    const roomId = await reader.joinRoom(`#loopback_latency:${world.synapse.serverName}`);
    await writer.joinRoom(roomId);

    const measure = async (label: string, send: (body: string) => void) => {
      const sentAt = new Map<string, number>();
      const latencies: number[] = [];
      const waits: Promise<unknown>[] = [];
      await paced((i) => {
        const body = `${label}-${i}`;
        sentAt.set(body, performance.now());
        waits.push(
          reader
            .waitForEvent(roomId, (e) => e.content.body === body, 60_000)
            .then(() => latencies.push(performance.now() - sentAt.get(body)!)),
        );
        send(body);
      });
      await Promise.all(waits);
      return latencies;
    };

    // warm both paths (ghost registration, joins, connection pools)
    await measure('warm-direct', (b) => void writer.sendText(roomId, b));
    await measure('warm-bridged', (b) => void world.network.post('latency', { id: 'bob', name: 'Bob' }, b));

    const direct = await measure('direct', (b) => void writer.sendText(roomId, b));
    const bridged = await measure(
      'bridged',
      (b) => void world.network.post('latency', { id: 'bob', name: 'Bob' }, b),
    );
    const line = (name: string, xs: number[]) =>
      `${name}: p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
    console.log(`${N} messages at ${RATE}/s through real Synapse ${world.synapse.url}`);
    console.log(line('direct (matrix-js-sdk -> Synapse -> matrix-js-sdk)', direct));
    console.log(line('bridged (network -> bridge -> Synapse -> matrix-js-sdk)', bridged));
    console.log(
      `bridge adds: p50 ${(((pct(bridged, 50) - pct(direct, 50)) / pct(direct, 50)) * 100).toFixed(0)}%, ` +
        `p99 ${(((pct(bridged, 99) - pct(direct, 99)) / pct(direct, 99)) * 100).toFixed(0)}%`,
    );
    await reader.stop();
    await writer.stop();
  } finally {
    await world.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
