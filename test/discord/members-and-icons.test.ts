/**
 * The Discord bridge end to end, guild-wide changes: members who join, leave, are kicked or banned,
 * or get a role, show up (or stop showing) in the portals' member lists; guilds too big for that
 * (`network.mirrorGuildMembers`) get no member ghosts, yet their members' names are kept from
 * Matrix users; the guild icon is the avatar of the guild's Matrix space and portals.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  eventually,
  MatrixTestUser,
  type DiscordChannelRecord,
  type DiscordUserRecord,
} from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';
import { byWebhook, ghostMessage, startAliceInGeneral, stopAliceInGeneral } from './alice-in-general';
import { plumbedRoom } from './plumbing';

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

/** The ghosts joined to a room, as the homeserver lists them. */
async function ghostsIn(room: string): Promise<string[]> {
  const { joined } = await alice.client.getJoinedRoomMembers(room);
  return Object.keys(joined)
    .filter((id) => id.startsWith('@_discord_'))
    .sort();
}

describe('guilds above network.mirrorGuildMembers (1,000 by default), within maxGuildMembers (10,000)', () => {
  it("get no member ghosts in their portals, yet their members' names, listed past Discord's page of 1,000, are kept from Matrix users", async () => {
    const big = w.sim.createGuild({ name: 'Crowd Guild' });
    const crowd = Array.from({ length: 1_050 }, (_, i) =>
      w.sim.addMember(big.id, { username: `crowd${i}`, nick: `Crowd Nick ${i}` }),
    );
    const room = w.sim.createChannel(big.id, { name: 'crowded' });
    // Listed at start: Discord lists members by user id, 1,000 at a time, so crowd1040 is on the second page.
    await w.world.stopBridge();
    const listings = w.sim.restCalls('GET /guilds/:guild_id/members');
    await w.world.startBridge();
    expect(w.sim.restCalls('GET /guilds/:guild_id/members') - listings).toBeGreaterThanOrEqual(2);

    const portal = await alice.joinRoom(w.aliasOf(room));
    const [speaker, laterSpeaker] = [crowd[3]!, crowd[4]!];
    w.sim.asUser(speaker.id).send(room.id, 'a crowd member speaks');
    await alice.waitForEvent(portal, ghostMessage('a crowd member speaks'), 30_000);
    w.sim.addMember(big.id, { username: 'newcomer' });
    // Queued behind the newcomer's join: once it arrives, a join would have been mirrored.
    w.sim.asUser(laterSpeaker.id).send(room.id, 'after the newcomer');
    await alice.waitForEvent(portal, ghostMessage('after the newcomer'));
    expect(await ghostsIn(portal)).toEqual([w.ghostOf(speaker), w.ghostOf(laterSpeaker)].sort());

    const namesake = await MatrixTestUser.register(w.world.synapse, 'crowdnamesake', {
      displayName: 'Crowd Nick 1040',
    });
    try {
      await namesake.joinRoom(w.aliasOf(room));
      await namesake.sendText(portal, 'named like a member');
      const posed = await w.sim.waitForMessage(room.id, byWebhook('named like a member'), 15_000);
      expect(posed.webhook?.username).toBe(`Crowd Nick 1040 (@crowdnamesake:${w.domain})`);
      await alice.sendText(portal, 'named like nobody');
      const plain = await w.sim.waitForMessage(room.id, byWebhook('named like nobody'), 15_000);
      expect(plain.webhook?.username).toBe('Alice (Matrix)');
    } finally {
      await namesake.stop();
    }
  }, 180_000);
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

  it("the icon of a guild is its space's avatar and its portals' from the start, uploaded once", async () => {
    const guild = w.sim.createGuild({ name: 'Guild With Icon', icon: ICON });
    const lobby = w.sim.createChannel(guild.id, { name: 'lobby' });
    const hall = w.sim.createChannel(guild.id, { name: 'hall' });
    const room = await alice.joinRoom(w.aliasOf(lobby));
    const url = await spaceAvatar(await spaceOf(room), ICON);
    expect(await alice.getState(room, 'm.room.avatar')).toEqual({ url });
    const other = await alice.joinRoom(w.aliasOf(hall));
    expect(await alice.getState(other, 'm.room.avatar')).toEqual({ url });
  });

  it("a new icon becomes the space's and the portals' avatar, also one set while the bridge was down, and a removed icon clears them; a plumbed room keeps its own", async () => {
    const space = await spaceOf(general);
    // No avatar yet (an earlier restart may have stated that with an empty m.room.avatar).
    expect((await alice.getState(space, 'm.room.avatar'))?.url).toBeUndefined();
    expect((await alice.getState(general, 'm.room.avatar'))?.url).toBeUndefined();
    const plumbed = await plumbedRoom(
      w,
      alice,
      w.sim.createChannel(w.guild.id, { name: 'plumbed-with-avatar' }).id,
      'Has its own avatar',
    );
    const own = await alice.uploadMedia(Buffer.from('own avatar'), 'own.png', 'image/png');
    await alice.client.sendStateEvent(plumbed, 'm.room.avatar' as never, { url: own } as never, '');

    w.sim.updateGuild(w.guild.id, { icon: ICON });
    const first = await spaceAvatar(space, ICON);
    await eventually(
      async () => (await alice.getState(general, 'm.room.avatar'))?.url === first,
      "the portal's avatar set",
    );

    await w.world.stopBridge();
    w.sim.updateGuild(w.guild.id, { icon: NEW_ICON });
    await w.world.startBridge();
    const second = await spaceAvatar(space, NEW_ICON, first);
    await eventually(
      async () => (await alice.getState(general, 'm.room.avatar'))?.url === second,
      "the portal's avatar changed while the bridge was down",
      30_000,
    );

    w.sim.updateGuild(w.guild.id, { icon: null });
    for (const room of [space, general])
      await eventually(
        async () => (await alice.getState(room, 'm.room.avatar'))?.url === undefined,
        'the avatar cleared',
      );
    expect(await alice.getState(general, 'm.room.avatar')).toEqual({});
    expect(await alice.getState(plumbed, 'm.room.avatar')).toEqual({ url: own });
  }, 90_000);
});
