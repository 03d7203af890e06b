/**
 * Telegram chat photos as portal room avatars, end to end: a real Synapse, the bridge as its own
 * process, the Bot API simulator (which serves the photo through getChat + getFile) and a
 * matrix-js-sdk user. Needs `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { bridge } from '@trestle/telegram';
import { MatrixTestUser, startBridgeWorld, TelegramSimulator, type BridgeWorld } from '@trestle/testkit';

const MAIN = resolve(__dirname, '../../packages/core/dist/cli/main.js');

let sim: TelegramSimulator;
let world: BridgeWorld;
let alice: MatrixTestUser;

/** Distinct small "images": the bridge passes the bytes through, so any content identifies them. */
const photo = (label: string) => Buffer.from(`\xff\xd8\xff\xe0 chat photo ${label}`, 'latin1');

/** The bytes of the room's avatar, once its `m.room.avatar` points at something other than `notMxc`. */
async function avatarOf(roomId: string, notMxc?: string): Promise<{ mxc: string; data: Buffer }> {
  const event = await alice.waitForEvent(
    roomId,
    (e) => e.type === 'm.room.avatar' && typeof e.content.url === 'string' && e.content.url !== notMxc,
    20_000,
  );
  const mxc = String(event.content.url);
  return { mxc, data: await alice.downloadMedia(mxc) };
}

beforeAll(async () => {
  sim = await TelegramSimulator.start();
  world = await startBridgeWorld({
    definition: bridge,
    network: { bot_token: sim.token, api_root: sim.apiRoot, poll_timeout_seconds: 5, link_approval: 'none' },
    command: [process.execPath, MAIN, 'telegram', 'start'],
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
});

describe('chat photos as room avatars', () => {
  let bob: ReturnType<TelegramSimulator['addUser']>;
  let group: number;
  let roomId: string;
  let firstMxc: string;

  it('a linked group’s photo becomes the portal room’s avatar', async () => {
    bob = sim.addUser({ first_name: 'Bob' });
    group = sim.createChat({
      type: 'supergroup',
      title: 'Pictures',
      members: [bob.id],
      bot: 'administrator',
    }).id;
    sim.setChatPhoto(group, photo('one'));
    roomId = await alice.joinRoom(`#telegram_${group}:${world.synapse.serverName}`);
    const avatar = await avatarOf(roomId);
    expect(avatar.data.equals(photo('one'))).toBe(true);
    firstMxc = avatar.mxc;
  });

  it('a new photo on Telegram becomes the new room avatar', async () => {
    sim.setChatPhoto(group, photo('two'), bob.id);
    const avatar = await avatarOf(roomId, firstMxc);
    expect(avatar.data.equals(photo('two'))).toBe(true);
  });

  it('removing the photo on Telegram clears the room avatar and is said in the room', async () => {
    sim.deleteChatPhoto(group, bob.id);
    await alice.waitForEvent(roomId, (e) => e.content.body === '🖼️ The chat photo was removed on Telegram.');
    const cleared = await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.avatar' && e.content.url === undefined,
      20_000,
    );
    expect(cleared.content).toEqual({});
  });

  it('a channel’s photo becomes its portal room’s avatar too', async () => {
    const channel = sim.createChat({
      type: 'channel',
      title: 'News',
      members: [bob.id],
      bot: 'administrator',
    }).id;
    sim.setChatPhoto(channel, photo('channel'));
    const channelRoom = await alice.joinRoom(`#telegram_${channel}:${world.synapse.serverName}`);
    expect((await avatarOf(channelRoom)).data.equals(photo('channel'))).toBe(true);
  });

  it('linking an existing room (`!telegram link`) gives it the chat’s photo as avatar', async () => {
    const yard = sim.createChat({
      type: 'supergroup',
      title: 'Yard',
      members: [bob.id],
      bot: 'administrator',
    }).id;
    sim.setChatPhoto(yard, photo('yard'));
    const room = await alice.createRoom({ name: 'Our yard' });
    await alice.invite(room, world.botUserId);
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
    );
    // As the docs ask: the bot needs power level 50 to change the room's state (name, avatar, bridge info).
    await alice.client.setPowerLevel(room, world.botUserId, 50);
    await alice.sendText(room, `!telegram link ${yard}`);
    expect((await avatarOf(room)).data.equals(photo('yard'))).toBe(true);
  });
});
