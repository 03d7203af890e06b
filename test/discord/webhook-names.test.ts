/**
 * The Discord bridge end to end: a Matrix user cannot pass for a Discord member. Matrix users speak
 * on Discord through a webhook under their display name; one named like a member of the guild gets
 * their Matrix id added. Discord does not list a guild's members to a bot without the Presence
 * intent when it connects, so this holds for members the bridge knows only from its member listing,
 * and follows members who join, leave or change their nickname.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MatrixTestUser, type DiscordUserRecord } from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';
import { byWebhook, startAliceInGeneral, stopAliceInGeneral } from './alice-in-general';

let w: DiscordBridgeWorld;
let alice: MatrixTestUser;
let general: string;
const others: MatrixTestUser[] = [];

beforeAll(async () => {
  ({ w, alice, roomId: general } = await startAliceInGeneral());
}, 180_000);

afterAll(async () => {
  await Promise.all(others.map((user) => user.stop()));
  await stopAliceInGeneral(w, alice);
});

/** A Matrix user with this display name, in the portal of #general. */
async function matrixUser(localpart: string, displayName: string): Promise<MatrixTestUser> {
  const user = await MatrixTestUser.register(w.world.synapse, localpart, { displayName });
  others.push(user);
  await user.joinRoom(w.aliasOf(w.general));
  return user;
}

/** The name `user`'s message `text` has on Discord. */
async function nameOnDiscord(user: MatrixTestUser, text: string): Promise<string | undefined> {
  await user.sendText(general, text);
  return (await w.sim.waitForMessage(w.general.id, byWebhook(text), 15_000)).webhook?.username;
}

/** The member's ghost in #general became `membership`: the bridge has seen the change. */
function ghostIn(user: DiscordUserRecord, membership: 'join' | 'leave') {
  return alice.waitForEvent(
    general,
    (e) =>
      e.type === 'm.room.member' && e.state_key === w.ghostOf(user) && e.content.membership === membership,
  );
}

/** A member who joins the guild (the bridge has seen it once their ghost joined), and a Matrix user named `displayName`. */
async function memberAndNamesake(
  member: Parameters<DiscordBridgeWorld['sim']['addMember']>[1],
  localpart: string,
  displayName: string,
): Promise<{ member: DiscordUserRecord; namesake: MatrixTestUser }> {
  const joined = w.sim.addMember(w.guild.id, member);
  await ghostIn(joined, 'join');
  return { member: joined, namesake: await matrixUser(localpart, displayName) };
}

describe('Matrix users named like Discord members', () => {
  it("get their Matrix id added for a member the bridge knows only from the guild's member list", async () => {
    // Dana was in the guild before the bridge started: Discord's GUILD_CREATE did not name her.
    const nick = await matrixUser('mallory', 'Dana on Discord');
    const globalName = await matrixUser('mel', 'dana');
    expect(await nameOnDiscord(alice, 'alice, named like nobody')).toBe('Alice (Matrix)');
    // Discord refuses webhook names containing "discord": the bridge breaks the word up.
    expect(await nameOnDiscord(nick, 'mallory as dana')).toBe(`Dana on D\u200biscord (@mallory:${w.domain})`);
    expect(await nameOnDiscord(globalName, 'mel as dana')).toBe(`dana (@mel:${w.domain})`);
  });

  it('get their Matrix id added for a member who joined the guild after the bridge started', async () => {
    const { namesake } = await memberAndNamesake(
      { username: 'frank', globalName: 'Frank F.' },
      'frankie',
      'Frank F.',
    );
    expect(await nameOnDiscord(namesake, 'frankie as frank')).toBe(`Frank F. (@frankie:${w.domain})`);
  });

  it("get their Matrix id added for a member who joined while the bridge's gateway session was lost", async () => {
    const identifies = w.sim.gatewayStats.identifies;
    w.sim.expireGatewaySessions();
    // No session to tell: Discord sends this join to nobody.
    const ivy = w.sim.addMember(w.guild.id, { username: 'ivy', nick: 'Ivy' });
    await ghostIn(ivy, 'join');
    expect(w.sim.gatewayStats.identifies).toBe(identifies + 1);
    const impostor = await matrixUser('ivy', 'Ivy');
    expect(await nameOnDiscord(impostor, 'ivy as ivy')).toBe(`Ivy (@ivy:${w.domain})`);
  });

  it('keep their name once the member who had it left the guild or changed nickname', async () => {
    const grace = await memberAndNamesake({ username: 'grace', nick: 'Grace H.' }, 'grace', 'Grace H.');
    expect(await nameOnDiscord(grace.namesake, 'grace while grace is there')).toBe(
      `Grace H. (@grace:${w.domain})`,
    );
    w.sim.asUser(grace.member.id).leaveGuild(w.guild.id);
    await ghostIn(grace.member, 'leave');
    expect(await nameOnDiscord(grace.namesake, 'grace after grace left')).toBe('Grace H. (Matrix)');

    const { member: henry, namesake: hank } = await memberAndNamesake(
      { username: 'henry', nick: 'Hank' },
      'hank',
      'Hank',
    );
    expect(await nameOnDiscord(hank, 'hank while henry is hank')).toBe(`Hank (@hank:${w.domain})`);
    w.sim.updateMember(w.guild.id, henry.id, { nick: 'Henry' });
    await alice.waitForEvent(
      general,
      (e) =>
        e.type === 'm.room.member' && e.state_key === w.ghostOf(henry) && e.content.displayname === 'Henry',
    );
    expect(await nameOnDiscord(hank, 'hank after henry renamed')).toBe('Hank (Matrix)');
  });
});
