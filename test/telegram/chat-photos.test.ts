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
/** A Telegram user, the creator of every chat here. */
let bob: ReturnType<TelegramSimulator['addUser']>;

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

/** A chat of Bob's with a photo, linked by Alice joining its alias: the chat, its room and the room's avatar. */
async function linkedChatWithPhoto(type: 'supergroup' | 'channel', title: string, label: string) {
  const chat = sim.createChat({ type, title, members: [bob.id], bot: 'administrator' });
  sim.setChatPhoto(chat.id, photo(label));
  const roomId = await alice.joinRoom(`#telegram_${chat.id}:${world.synapse.serverName}`);
  return { chat, roomId, avatar: await avatarOf(roomId) };
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
  bob = sim.addUser({ first_name: 'Bob' });
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
});

describe('chat photos as room avatars', () => {
  let group: number;
  let roomId: string;
  let firstMxc: string;

  it('a linked group’s photo becomes the portal room’s avatar', async () => {
    const linked = await linkedChatWithPhoto('supergroup', 'Pictures', 'one');
    group = linked.chat.id;
    roomId = linked.roomId;
    expect(linked.avatar.data.equals(photo('one'))).toBe(true);
    firstMxc = linked.avatar.mxc;
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
    const { avatar } = await linkedChatWithPhoto('channel', 'News', 'channel');
    expect(avatar.data.equals(photo('channel'))).toBe(true);
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

describe('chat photos as the avatar of the ghost that speaks for the chat', () => {
  let channel: number;
  let room: string;
  let roomAvatar: string;
  const channelGhost = () => `@telegram_${channel}:${world.synapse.serverName}`;
  /**
   * The avatar of `ghost` as the room shows it, once a membership event of the ghost says `predicate`
   * (only events after the `after`-th of the room's timeline count).
   */
  const ghostAvatarIn = async (
    roomId: string,
    ghost: string,
    predicate: (url: unknown) => boolean,
    after = 0,
  ) => {
    const member = await alice.waitForEvent(
      roomId,
      (e) =>
        e.type === 'm.room.member' &&
        e.state_key === ghost &&
        predicate(e.content.avatar_url) &&
        alice.timeline(roomId).indexOf(e) >= after,
      20_000,
    );
    return member.content.avatar_url;
  };

  it('a channel’s posts come from a ghost with the channel’s photo, the same upload as the room avatar', async () => {
    const linked = await linkedChatWithPhoto('channel', 'Gazette', 'gazette');
    channel = linked.chat.id;
    room = linked.roomId;
    roomAvatar = linked.avatar.mxc;
    const downloadsBefore = sim.calls.filter((c) => c.method === 'getFile').length;
    sim.asUser(bob.id).send(channel, 'Extra! Extra!');
    const post = await alice.waitForEvent(room, (e) => e.content.body === 'Extra! Extra!');
    expect(post.sender).toBe(channelGhost());
    // The photo the bridge already uploaded for the room: not downloaded from Telegram again.
    expect(await ghostAvatarIn(room, channelGhost(), (url) => typeof url === 'string')).toBe(roomAvatar);
    expect(sim.calls.filter((c) => c.method === 'getFile').length).toBe(downloadsBefore);
  });

  it('a new channel photo becomes the ghost’s avatar too, and removing it clears the ghost’s avatar', async () => {
    sim.setChatPhoto(channel, photo('gazette two'));
    const newRoomAvatar = await avatarOf(room, roomAvatar);
    expect(newRoomAvatar.data.equals(photo('gazette two'))).toBe(true);
    expect(await ghostAvatarIn(room, channelGhost(), (url) => url === newRoomAvatar.mxc)).toBe(
      newRoomAvatar.mxc,
    );

    const beforeRemoval = alice.timeline(room).length;
    sim.deleteChatPhoto(channel);
    await ghostAvatarIn(room, channelGhost(), (url) => url === undefined || url === '', beforeRemoval);
  });

  it('an anonymous admin of a group speaks with the group’s photo', async () => {
    const {
      chat: group,
      roomId: groupRoom,
      avatar,
    } = await linkedChatWithPhoto('supergroup', 'Quiet admins', 'quiet');
    // Telegram marks an anonymous admin's message with the group itself as `sender_chat`.
    sim.asUser(bob.id).sendRaw(group.id, { sender_chat: group, text: 'from the admins' });
    const post = await alice.waitForEvent(groupRoom, (e) => e.content.body === 'from the admins');
    const groupGhost = `@telegram_${group.id}:${world.synapse.serverName}`;
    expect(post.sender).toBe(groupGhost);
    expect(await ghostAvatarIn(groupRoom, groupGhost, (url) => typeof url === 'string')).toBe(avatar.mxc);
  });
});
