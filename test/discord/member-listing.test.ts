/**
 * The Discord bridge end to end, the guild member listing behind the portals' member lists and the
 * names Matrix users may not take on Discord: a listing Discord fails is tried again, and with
 * `network.mirrorGuildMembers` raised past Discord's page of 1,000 a big guild's member lists are
 * complete and caught up at start.
 *
 * The bridge runs with a short retry delay (half a minute at first in production): the connector
 * takes it as an option, which this world's bridge definition passes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridge, createDiscordConnector } from '@trestle/discord';
import {
  DiscordSimulator,
  eventually,
  MatrixTestUser,
  startBridgeWorld,
  type BridgeWorld,
  type DiscordChannelRecord,
  type DiscordGuildRecord,
} from '@trestle/testkit';
import { byWebhook, ghostMessage } from './alice-in-general';

const MEMBER_LISTING = 'GET /guilds/:guild_id/members';

let sim: DiscordSimulator;
let guild: DiscordGuildRecord;
let general: DiscordChannelRecord;
let world: BridgeWorld;
let alice: MatrixTestUser;
/** The portal of #general. */
let portal: string;

const aliasOf = (channel: DiscordChannelRecord) =>
  `#_discord_${channel.guildId}_${channel.id}:${world.synapse.serverName}`;
const ghostOf = (user: { id: string }) => `@_discord_${user.id}:${world.synapse.serverName}`;

beforeAll(async () => {
  sim = await DiscordSimulator.start();
  guild = sim.createGuild({ name: 'Listing Guild' });
  general = sim.createChannel(guild.id, { name: 'general' });
  sim.addMember(guild.id, { username: 'dana', nick: 'Dana' });
  world = await startBridgeWorld({
    definition: {
      ...bridge,
      createConnector: () => createDiscordConnector({ memberListingRetry: { firstMs: 200, maxMs: 2_000 } }),
    },
    network: { botToken: sim.token, apiUrl: sim.apiUrl, cdnUrl: sim.baseUrl, mirrorGuildMembers: 2_000 },
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  portal = await alice.joinRoom(aliasOf(general));
}, 180_000);

afterAll(async () => {
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
});

/** The ghost's membership in the room becomes `membership`. */
function membership(room: string, user: { id: string }, membership: string, timeoutMs?: number) {
  return alice.waitForEvent(
    room,
    (e) => e.type === 'm.room.member' && e.state_key === ghostOf(user) && e.content.membership === membership,
    timeoutMs,
  );
}

/** The name Alice's message `text` in #general has on Discord. */
async function aliceOnDiscord(text: string): Promise<string | undefined> {
  await alice.sendText(portal, text);
  return (await sim.waitForMessage(general.id, byWebhook(text), 15_000)).webhook?.username;
}

describe('a member listing Discord fails', () => {
  it('is tried again until it succeeds: meanwhile Matrix names carry the Matrix id and the member lists wait, then both catch up', async () => {
    await world.stopBridge();
    const newcomer = sim.addMember(guild.id, { username: 'newcomer', nick: 'Newcomer' });
    // An outage of the member listing: every request answers 500 until the test ends it.
    sim.failNext(MEMBER_LISTING, 500, { times: 100_000 });
    try {
      await world.startBridge();
      expect(await aliceOnDiscord('while the listing fails')).toBe(
        `Alice (@alice:${world.synapse.serverName})`,
      );
      expect(await alice.getState(portal, 'm.room.member', ghostOf(newcomer))).toBeUndefined();
      // discord.js asks four times before it gives up on a 500; the bridge then tries again, later and later.
      const firstTry = sim.restCalls(MEMBER_LISTING);
      await eventually(async () => sim.restCalls(MEMBER_LISTING) >= firstTry + 8, 'two retries', 15_000);
    } finally {
      sim.clearFaults(MEMBER_LISTING);
    }
    await membership(portal, newcomer, 'join', 15_000);
    expect(await aliceOnDiscord('once listed')).toBe('Alice (Matrix)');
  }, 90_000);
});

describe('with network.mirrorGuildMembers raised to 2,000, a guild of more than a thousand members', () => {
  /** The ghosts joined to a room, as the homeserver lists them. */
  async function ghostsIn(room: string): Promise<string[]> {
    const { joined } = await alice.client.getJoinedRoomMembers(room);
    return Object.keys(joined)
      .filter((id) => id.startsWith('@_discord_'))
      .sort();
  }

  it("has in a new portal every member who can see the channel, listed past Discord's page of 1,000; joins are followed and caught up at start", async () => {
    const big = sim.createGuild({ name: 'Big Guild' });
    const crowd = Array.from({ length: 1_050 }, (_, i) => sim.addMember(big.id, { username: `crowd${i}` }));
    const staff = sim.createRole(big.id, { name: 'Staff' });
    // Discord lists members by user id, 1,000 at a time: one staffer on the first page, three past it.
    const staffers = [crowd[0]!, crowd[1_045]!, crowd[1_046]!, crowd[1_047]!];
    for (const user of staffers) sim.updateMember(big.id, user.id, { roles: [staff.id] });
    const room = sim.createChannel(big.id, { name: 'staff-room', visibleTo: [staff.id] });
    const listings = sim.restCalls(MEMBER_LISTING);

    const staffPortal = await alice.joinRoom(aliasOf(room));
    for (const user of staffers) await membership(staffPortal, user, 'join');
    expect(sim.restCalls(MEMBER_LISTING) - listings).toBeGreaterThanOrEqual(2);
    // The guild's owner sees every channel, as on Discord.
    const owner = { id: big.ownerId };
    await membership(staffPortal, owner, 'join');

    const newcomer = sim.addMember(big.id, { username: 'newcomer', roles: [staff.id] });
    await membership(staffPortal, newcomer, 'join');

    await world.stopBridge();
    const [leaver, promoted] = [crowd[1_046]!, crowd[500]!];
    sim.asUser(leaver.id).leaveGuild(big.id);
    sim.updateMember(big.id, promoted.id, { roles: [staff.id] });
    await world.startBridge();
    await membership(staffPortal, leaver, 'leave', 30_000);
    await membership(staffPortal, promoted, 'join');
    // A staffer's message is queued behind the catch-up of the portal: once it arrives, it is done.
    sim.asUser(promoted.id).send(room.id, 'the catch-up of #staff-room is done');
    await alice.waitForEvent(staffPortal, ghostMessage('the catch-up of #staff-room is done'));
    const expected: Array<{ id: string }> = [
      owner,
      newcomer,
      promoted,
      ...staffers.filter((u) => u !== leaver),
    ];
    expect(await ghostsIn(staffPortal)).toEqual(expected.map(ghostOf).sort());
  }, 180_000);
});
