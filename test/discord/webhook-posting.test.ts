/**
 * How Matrix messages reach Discord through the channel webhook when Discord pushes back: its rate limits
 * (the bucket of each webhook, the global budget of requests without authorization) and a webhook that
 * someone deleted. Real Synapse, the Discord simulator, the bridge's real discord.js.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MatrixTestUser } from '@trestle/testkit';
import { startDiscordBridgeWorld, type DiscordBridgeWorld } from './discord-bridge-world';
import { byWebhook, stopAliceInGeneral } from './alice-in-general';

/** The bridge's budget for all its webhook posts together, per second (Discord's is 50). */
const GLOBAL_PER_SECOND = 4;

let w: DiscordBridgeWorld;
let alice: MatrixTestUser;
let roomId: string;

beforeAll(async () => {
  w = await startDiscordBridgeWorld({ globalRequestsPerSecond: GLOBAL_PER_SECOND });
  alice = await MatrixTestUser.register(w.world.synapse, 'alice', { displayName: 'Alice' });
  roomId = await alice.joinRoom(w.aliasOf(w.general));
}, 180_000);

afterAll(() => stopAliceInGeneral(w, alice));

/** Alice sends `count` messages at once; resolves with the Discord messages, in the order they arrived. */
async function burst(label: string, count: number) {
  const texts = Array.from({ length: count }, (_, i) => `${label} ${i}`);
  for (const text of texts) await alice.sendText(roomId, text);
  await w.sim.waitForMessage(w.general.id, byWebhook(texts.at(-1)!), 30_000);
  return w.sim.messages(w.general.id).filter((m) => m.webhook && m.content.startsWith(`${label} `));
}

describe("Discord's rate limits on the webhook", () => {
  it('a burst waits for the webhook bucket Discord reports, arriving complete and in order without a 429', async () => {
    await alice.sendText(roomId, 'first, to find the webhook');
    await w.sim.waitForMessage(w.general.id, byWebhook('first, to find the webhook'));
    w.sim.enforceRateLimits({ globalPerSecond: 1000, webhookLimit: 2, webhookWindowMs: 1000 });
    const started = Date.now();
    const arrived = await burst('bucket', 6);
    expect(arrived.map((m) => m.content)).toEqual(Array.from({ length: 6 }, (_, i) => `bucket ${i}`));
    expect(w.sim.rateLimitedResponses).toBe(0);
    // Two per second: the last two cannot have gone out before the third window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  it('webhook posts keep to the global budget of requests without authorization', async () => {
    w.sim.enforceRateLimits({
      globalPerSecond: GLOBAL_PER_SECOND,
      webhookLimit: 1000,
      webhookWindowMs: 1000,
    });
    const arrived = await burst('global', 12);
    expect(arrived.map((m) => m.content)).toEqual(Array.from({ length: 12 }, (_, i) => `global ${i}`));
    expect(w.sim.rateLimitedResponses).toBe(0);
    const times = arrived.map((m) => Date.parse(m.timestamp));
    for (let i = GLOBAL_PER_SECOND; i < times.length; i++)
      expect(times[i]! - times[i - GLOBAL_PER_SECOND]!).toBeGreaterThanOrEqual(1000);
  }, 60_000);
});

describe('a deleted webhook', () => {
  it('is replaced: the message still arrives, through a new webhook', async () => {
    w.sim.enforceRateLimits({ globalPerSecond: 1000, webhookLimit: 1000, webhookWindowMs: 1000 });
    const [old] = w.sim.webhooks(w.general.id);
    const deleted = await fetch(`${w.sim.apiUrl}/v10/webhooks/${old!.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${w.sim.token}` },
    });
    expect(deleted.status).toBe(204);
    await alice.sendText(roomId, 'after the webhook was deleted');
    const m = await w.sim.waitForMessage(w.general.id, byWebhook('after the webhook was deleted'));
    const [replacement] = w.sim.webhooks(w.general.id);
    expect(replacement!.id).not.toBe(old!.id);
    expect(m.webhook!.id).toBe(replacement!.id);
    expect(m.webhook!.username).toBe('Alice (Matrix)');
  });
});
