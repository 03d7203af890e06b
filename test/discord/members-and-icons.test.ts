/**
 * The Discord bridge end to end, guild-wide changes: members who join, leave, are kicked or banned,
 * or get a role, show up (or stop showing) in the portals' member lists; the guild icon is the
 * avatar of the guild's Matrix space.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  eventually,
  type DiscordChannelRecord,
  type DiscordUserRecord,
  type MatrixTestUser,
} from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';
import { ghostMessage, startAliceInGeneral, stopAliceInGeneral } from './alice-in-general';

const ICON = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db40000000049454e44ae426082',
  'hex',
);
const NEW_ICON = Buffer.concat([ICON, Buffer.from('another icon')]);

let w: DiscordBridgeWorld;
let alice: MatrixTestUser;
let general: string;

beforeAll(async () => {
  ({ w, alice, roomId: general } = await startAliceInGeneral());
}, 180_000);

afterAll(() => stopAliceInGeneral(w, alice));

/** The ghost's membership in the room becomes `membership` (with `displayname`, when given). */
function membership(
  room: string,
  user: DiscordUserRecord,
  membership: string,
  displayname?: string,
  timeoutMs?: number,
) {
  return alice.waitForEvent(
    room,
    (e) =>
      e.type === 'm.room.member' &&
      e.state_key === w.ghostOf(user) &&
      e.content.membership === membership &&
      (displayname === undefined || e.content.displayname === displayname),
    timeoutMs,
  );
}

/** Dana speaks in the channel and it arrives: what the bridge queued for the channel before is done. */
async function channelSettled(channel: DiscordChannelRecord, room: string, text: string): Promise<void> {
  w.sim.asUser(w.dana.id).send(channel.id, text);
  await alice.waitForEvent(room, ghostMessage(text));
}

describe('member lists', () => {
  it("a member who joins the guild appears in the portals of the channels they can see, and in a private channel's once given its role", async () => {
    const staff = w.sim.createRole(w.guild.id, { name: 'Staff' });
    const staffRoom = w.sim.createChannel(w.guild.id, { name: 'staff-only', visibleTo: [staff.id] });
    w.sim.updateMember(w.guild.id, w.dana.id, { roles: [staff.id] });
    const staffPortal = await alice.joinRoom(w.aliasOf(staffRoom));
    await membership(staffPortal, w.dana, 'join');

    const frank = w.sim.addMember(w.guild.id, { username: 'frank', nick: 'Frank the New' });
    await membership(general, frank, 'join', 'Frank the New');
    await channelSettled(staffRoom, staffPortal, 'frank cannot see this channel yet');
    expect(await alice.getState(staffPortal, 'm.room.member', w.ghostOf(frank))).toBeUndefined();

    w.sim.updateMember(w.guild.id, frank.id, { roles: [staff.id] });
    await membership(staffPortal, frank, 'join', 'Frank the New');
    w.sim.updateMember(w.guild.id, frank.id, { roles: [] });
    await membership(staffPortal, frank, 'leave');
    expect(await alice.getState(general, 'm.room.member', w.ghostOf(frank))).toMatchObject({
      membership: 'join',
    });
  }, 60_000);

  it('a member who leaves the guild, is kicked or is banned leaves the portals', async () => {
    const other = w.sim.createChannel(w.guild.id, { name: 'other-portal' });
    const otherPortal = await alice.joinRoom(w.aliasOf(other));
    const [leaver, kicked, banned] = ['gina', 'hal', 'ivy'].map((username) =>
      w.sim.addMember(w.guild.id, { username }),
    ) as [DiscordUserRecord, DiscordUserRecord, DiscordUserRecord];
    for (const user of [leaver, kicked, banned])
      for (const room of [general, otherPortal]) await membership(room, user, 'join');

    w.sim.asUser(leaver.id).leaveGuild(w.guild.id);
    w.sim.kickMember(w.guild.id, kicked.id);
    w.sim.banMember(w.guild.id, banned.id);
    for (const user of [leaver, kicked, banned])
      for (const room of [general, otherPortal]) await membership(room, user, 'leave');
  }, 60_000);

  it('joins, leaves and role changes made while the bridge was down reach the portals when it is back', async () => {
    const ops = w.sim.createRole(w.guild.id, { name: 'Ops' });
    const opsRoom = w.sim.createChannel(w.guild.id, { name: 'ops-only', visibleTo: [ops.id] });
    const opsPortal = await alice.joinRoom(w.aliasOf(opsRoom));
    const [leaver, promoted] = ['jack', 'lee'].map((username) =>
      w.sim.addMember(w.guild.id, { username }),
    ) as [DiscordUserRecord, DiscordUserRecord];
    for (const user of [leaver, promoted]) await membership(general, user, 'join');

    await w.world.stopBridge();
    w.sim.asUser(leaver.id).leaveGuild(w.guild.id);
    const newcomer = w.sim.addMember(w.guild.id, { username: 'kim', nick: 'Kim While Away' });
    w.sim.updateMember(w.guild.id, promoted.id, { roles: [ops.id] });
    await w.world.startBridge();

    await membership(general, leaver, 'leave', undefined, 30_000);
    await membership(general, newcomer, 'join', 'Kim While Away');
    await membership(opsPortal, promoted, 'join');
    // Members who were there all along stay, and the newcomer sees only the channels they may.
    expect(await alice.getState(general, 'm.room.member', w.ghostOf(w.dana))).toMatchObject({
      membership: 'join',
    });
    // Lee's message is queued behind the catch-up of #ops-only: once it arrives, the catch-up is done.
    w.sim.asUser(promoted.id).send(opsRoom.id, 'the catch-up of #ops-only is done');
    await alice.waitForEvent(opsPortal, ghostMessage('the catch-up of #ops-only is done'));
    expect(await alice.getState(opsPortal, 'm.room.member', w.ghostOf(newcomer))).toBeUndefined();
  }, 90_000);

  it("a nickname change renames the member's ghost", async () => {
    w.sim.updateMember(w.guild.id, w.dana.id, { nick: 'Dana Renamed' });
    await membership(general, w.dana, 'join', 'Dana Renamed');
  });
});

describe('guild icon', () => {
  async function spaceOf(room: string): Promise<string> {
    const parent = await alice.waitForEvent(room, (e) => e.type === 'm.space.parent');
    return alice.joinRoom(parent.state_key!);
  }

  /** Wait for the space's avatar to become an image other than `previous`; check its bytes. */
  async function spaceAvatar(space: string, bytes: Buffer, previous?: string): Promise<string> {
    const avatar = await alice.waitForEvent(
      space,
      (e) => e.type === 'm.room.avatar' && typeof e.content.url === 'string' && e.content.url !== previous,
      30_000,
    );
    const url = String(avatar.content.url);
    expect(await alice.downloadMedia(url)).toEqual(bytes);
    return url;
  }

  it("the icon of a guild is its space's avatar from the start", async () => {
    const guild = w.sim.createGuild({ name: 'Guild With Icon', icon: ICON });
    const channel = w.sim.createChannel(guild.id, { name: 'lobby' });
    const room = await alice.joinRoom(w.aliasOf(channel));
    await spaceAvatar(await spaceOf(room), ICON);
  });

  it("a new icon becomes the space's avatar, also one set while the bridge was down, and a removed icon clears it", async () => {
    const space = await spaceOf(general);
    // No avatar yet (an earlier restart may have stated that with an empty m.room.avatar).
    expect((await alice.getState(space, 'm.room.avatar'))?.url).toBeUndefined();
    w.sim.updateGuild(w.guild.id, { icon: ICON });
    const first = await spaceAvatar(space, ICON);

    await w.world.stopBridge();
    w.sim.updateGuild(w.guild.id, { icon: NEW_ICON });
    await w.world.startBridge();
    await spaceAvatar(space, NEW_ICON, first);

    w.sim.updateGuild(w.guild.id, { icon: null });
    await eventually(
      async () => (await alice.getState(space, 'm.room.avatar'))?.url === undefined,
      'the space avatar cleared',
    );
    expect(await alice.getState(space, 'm.room.avatar')).toEqual({});
  }, 60_000);
});
