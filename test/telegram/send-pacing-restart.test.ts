/**
 * Send pacing across a restart, end to end: a real Synapse, the bridge as its own process, and a Bot API
 * simulator that answers 429 past its flood limits, as Telegram does. Telegram still counts a group's
 * posts after the bridge restarts, so a restarted bridge must go on pacing where it stopped rather than
 * send a whole window at once. A small group window (4 posts in 15 s) keeps the test short; its shape is
 * Telegram's 20 a minute. Needs `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MatrixTestUser, TelegramSimulator, type BridgeWorld } from '@trestle/testkit';
import { startTelegramWorld } from './telegram-fixtures';
const groupWindow = { messages: 4, seconds: 15 };

let sim: TelegramSimulator;
let world: BridgeWorld;
let alice: MatrixTestUser;
let group: number;
let roomId: string;

type Message = ReturnType<TelegramSimulator['messages']>[number];
const textOf = (m: Message) => ('text' in m ? m.text : '');
const postedByBridge = () =>
  sim.messages(group).flatMap((m) => (m.from?.id === sim.bot.id ? [textOf(m)] : []));
const tooManyRequests = () => sim.calls.filter((c) => c.errorCode === 429).length;

beforeAll(async () => {
  sim = await TelegramSimulator.start({
    floodLimits: { groupChat: { messages: groupWindow.messages, windowMs: groupWindow.seconds * 1000 } },
  });
  const bob = sim.addUser({ first_name: 'Bob' });
  group = sim.createChat({ type: 'supergroup', title: 'Busy', members: [bob.id], bot: 'administrator' }).id;
  world = await startTelegramWorld(sim, { link_approval: 'none', send_pacing: { group: groupWindow } });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  roomId = await alice.joinRoom(`#telegram_${group}:${world.synapse.serverName}`);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n') ?? '');
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
});

describe('send pacing across a restart', () => {
  it('a burst that the bridge’s restart interrupts goes on paced: no 429 from Telegram, all delivered in order', async () => {
    const burst = Array.from({ length: 8 }, (_, i) => `burst ${i}`);
    // The first half fills the group's window on Telegram…
    for (const text of burst.slice(0, 4)) await alice.sendText(roomId, text);
    await sim.waitFor(() => postedByBridge().length === 4, 15_000);
    // …then the bridge restarts, well within that window, and the rest of the burst follows.
    await world.stopBridge('SIGTERM');
    await world.startBridge();
    for (const text of burst.slice(4)) await alice.sendText(roomId, text);
    await sim.waitFor(() => postedByBridge().length === 8, 60_000);
    expect(tooManyRequests()).toBe(0);
    expect(postedByBridge()).toEqual(burst.map((text) => `Alice: ${text}`));
  }, 90_000);
});
