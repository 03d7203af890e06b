/**
 * IRCv3 reactions both ways, bans set on IRC mirrored onto Matrix users, `unlink` parting the Matrix
 * users' nicks, ghost invites that are not direct chats, and lazy versus full member lists (two
 * networks in one bridge process, on the same server): real Synapse, real InspIRCd.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridge } from '@trestle/irc';
import {
  eventually,
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type IrcLogEntry,
  type MatrixTimelineEvent,
  type RunningIrcServer,
} from '@trestle/testkit';
import { testNetwork } from './test-network';

const CHANNEL = '#react';
const LAZY_CHANNEL = '#lazy';
const BOT = 'TrestleBot';

let ircd: RunningIrcServer;
let world: BridgeWorld;
let bob: IrcTestUser;
let carol: IrcTestUser;
let alice: MatrixTestUser;
let dave: MatrixTestUser;
let domain: string;
/** Alice's room, linked to CHANNEL on the "test" network (full member lists, virtual users). */
let room: string;

const ghost = (nick: string, network = 'test') => `@irc_${network}.${nick}:${domain}`;
const fromBot = (text: string) => (e: MatrixTimelineEvent) =>
  e.sender === world.botUserId && String(e.content.body).includes(text);
const membershipOf = (user: string, membership: string) => (e: MatrixTimelineEvent) =>
  e.type === 'm.room.member' && e.state_key === user && e.content.membership === membership;
const tagmsgFrom = (nick: string, tag: string, value: string) => (e: IrcLogEntry) =>
  e.type === 'tagmsg' && e.nick === nick && e.tags[tag] === value;

/** Bob says `text` in CHANNEL; resolves with its msgid and the Matrix event it became. */
const bobSays = async (text: string) => {
  const msgid = await bob.sendTagged(CHANNEL, text);
  const event = await alice.waitForEvent(room, (e) => e.content.body === text, 15_000);
  return { msgid, event };
};

const linkRoom = async (name: string, chat: string): Promise<string> => {
  const id = await alice.createRoom({ name, preset: 'public_chat' as never });
  await alice.invite(id, world.botUserId);
  await alice.waitForEvent(id, membershipOf(world.botUserId, 'join'));
  const pl = (await alice.getState(id, 'm.room.power_levels')) ?? {};
  const users = { ...((pl.users as Record<string, number> | undefined) ?? {}), [world.botUserId]: 100 };
  await alice.client.sendStateEvent(id, 'm.room.power_levels' as never, { ...pl, users } as never, '');
  await alice.sendText(id, `!irc link ${chat}`);
  await alice.waitForEvent(id, fromBot('now bridged'), 15_000);
  return id;
};

beforeAll(async () => {
  ircd = await startInspircd();
  [bob, carol] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob', echoMessage: true }),
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'carol' }),
  ]);
  await bob.join(CHANNEL); // first in: channel operator
  await carol.join(CHANNEL);
  await carol.join(LAZY_CHANNEL);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [
        testNetwork(ircd, { botNick: BOT, virtualUsers: { enabled: true, nickTemplate: '$DISPLAY[m]' } }),
        testNetwork(ircd, { name: 'lazy', botNick: 'LazyBot', relay: { enabled: true }, memberList: 'lazy' }),
      ],
      connectRate: { perSecond: 20, jitterMs: 20 },
    },
  });
  domain = world.synapse.serverName;
  await world.startBridge();
  [alice, dave] = await Promise.all([
    MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' }),
    MatrixTestUser.register(world.synapse, 'dave', { displayName: 'Dave' }),
  ]);
  room = await linkRoom('Reactions', `test/${CHANNEL}`);
  // The bot must be operator to ban IRC users' ghosts; bob gives it +o.
  bob.mode(CHANNEL, '+o', BOT);
  await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes(`+o ${BOT}`));
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await Promise.all([alice?.stop(), dave?.stop()]);
  await Promise.all([bob?.quit(), carol?.quit()]);
  await world?.stop();
  await ircd?.stop();
});

describe('member lists', () => {
  it('full (default): IRC users already in the channel are room members as soon as it is linked', async () => {
    await eventually(async () => {
      const joined = Object.keys((await alice.client.getJoinedRoomMembers(room)).joined);
      return joined.includes(ghost('bob')) && joined.includes(ghost('carol'));
    }, 'bob and carol in the room');
  });

  it('lazy: an IRC user joins the room only when they first speak, and JOINs are not mirrored', async () => {
    const lazyRoom = await alice.joinRoom(`#irc_lazy_${LAZY_CHANNEL}:${domain}`);
    await bob.join(LAZY_CHANNEL);
    await new Promise((r) => setTimeout(r, 1000));
    const before = Object.keys((await alice.client.getJoinedRoomMembers(lazyRoom)).joined);
    expect(before).not.toContain(ghost('carol', 'lazy'));
    expect(before).not.toContain(ghost('bob', 'lazy'));
    carol.say(LAZY_CHANNEL, 'first words');
    const said = await alice.waitForEvent(lazyRoom, (e) => e.content.body === 'first words', 15_000);
    expect(said.sender).toBe(ghost('carol', 'lazy'));
    const after = Object.keys((await alice.client.getJoinedRoomMembers(lazyRoom)).joined);
    expect(after).toContain(ghost('carol', 'lazy'));
    expect(after).not.toContain(ghost('bob', 'lazy'));
  });
});

describe('IRCv3 reactions', () => {
  it('an IRC +draft/react TAGMSG on a bridged message becomes a Matrix reaction; +draft/unreact removes it', async () => {
    const { msgid, event } = await bobSays('react to this, matrix');
    carol.raw(`@+draft/react=🎉;+draft/reply=${msgid} TAGMSG ${CHANNEL}`);
    const reaction = await alice.waitForEvent(
      room,
      (e) => e.type === 'm.reaction' && e.sender === ghost('carol'),
      15_000,
    );
    expect(reaction.content['m.relates_to']).toEqual({
      rel_type: 'm.annotation',
      event_id: event.event_id,
      key: '🎉',
    });
    carol.raw(`@+draft/unreact=🎉;+draft/reply=${msgid} TAGMSG ${CHANNEL}`);
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.redaction' && (e.content.redacts ?? e.redacts) === reaction.event_id,
      15_000,
    );
  });

  it("a Matrix reaction on an IRC message is a +draft/react TAGMSG from the user's own nick; removing it sends +draft/unreact", async () => {
    const { msgid, event } = await bobSays('what do you think?');
    // Alice speaks once so her own nick is in the channel.
    await alice.sendText(room, 'hello from alice');
    await bob.waitForMessage((e) => e.type === 'privmsg' && e.nick === 'Alice[m]', 15_000);
    const reaction = await alice.react(room, event.event_id, '👍');
    const tagmsg = await bob.waitForMessage(tagmsgFrom('Alice[m]', '+draft/react', '👍'), 15_000);
    expect(tagmsg.tags['+draft/reply']).toBe(msgid);
    expect(tagmsg.target).toBe(CHANNEL);
    await alice.redact(room, reaction);
    const unreact = await bob.waitForMessage(tagmsgFrom('Alice[m]', '+draft/unreact', '👍'), 15_000);
    expect(unreact.tags['+draft/reply']).toBe(msgid);
    // No readable line was posted besides the tags (relay.reactions is off).
    expect(bob.log.some((e) => e.type === 'action' && String(e.message).includes('reacted'))).toBe(false);
  });
});

describe('bans set on IRC', () => {
  it("a +b covering a Matrix user's nick bans them from the room, and -b lifts the ban", async () => {
    await dave.joinRoom(room);
    await dave.sendText(room, 'dave here');
    await bob.waitForMessage((e) => e.type === 'privmsg' && e.nick === 'Dave[m]', 15_000);
    bob.mode(CHANNEL, '+b', 'Dave*!*@*');
    const ban = await alice.waitForEvent(room, membershipOf(dave.userId, 'ban'), 15_000);
    expect(String(ban.content.reason)).toContain('Banned on IRC by bob');
    await bob.waitForMessage(
      (e) => e.type === 'part' && e.nick === 'Dave[m]' && e.channel === CHANNEL,
      15_000,
    );
    bob.mode(CHANNEL, '-b', 'Dave*!*@*');
    await alice.waitForEvent(room, membershipOf(dave.userId, 'leave'), 15_000);
  });

  it("a +b that covers no Matrix user's nick bans nobody on Matrix", async () => {
    bob.mode(CHANNEL, '+b', 'nobody!*@*');
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes('+b nobody!*@*'));
    await alice.sendText(room, 'still here');
    await bob.waitForMessage((e) => e.type === 'privmsg' && e.message === 'still here', 15_000);
    // Only dave's earlier ban.
    expect(
      alice.timeline(room).filter((e) => e.type === 'm.room.member' && e.content.membership === 'ban'),
    ).toHaveLength(1);
  });

  it("a Matrix ban of an IRC user's ghost sets +b and an unban removes the same mask, without banning anyone on Matrix", async () => {
    await alice.client.ban(room, ghost('carol'), 'spam');
    const plus = await bob.waitForMessage(
      (e) => e.type === 'mode' && e.nick === BOT && (e.modes ?? []).some((m) => m.startsWith('+b ')),
      15_000,
    );
    const mask = (plus.modes ?? []).find((m) => m.startsWith('+b '))!.slice(3);
    await alice.client.unban(room, ghost('carol'));
    await bob.waitForMessage(
      (e) => e.type === 'mode' && e.nick === BOT && (e.modes ?? []).includes(`-b ${mask}`),
      15_000,
    );
    expect(
      alice.timeline(room).filter((e) => e.type === 'm.room.member' && e.content.membership === 'ban'),
    ).toHaveLength(2); // dave's, and carol's ghost
  });
});

describe('unlink and ghost invites', () => {
  it("unlink parts the Matrix users' nicks, and they do not rejoin the channel when they reconnect", async () => {
    await bob.join('#unlinkme');
    const other = await linkRoom('Unlink me', 'test/#unlinkme');
    await alice.sendText(other, 'soon unlinked');
    await bob.waitForMessage((e) => e.type === 'privmsg' && e.target === '#unlinkme', 15_000);
    await alice.sendText(other, '!irc unlink');
    await alice.waitForEvent(other, fromBot('Unlinked'), 15_000);
    await bob.waitForMessage(
      (e) => e.type === 'part' && e.nick === 'Alice[m]' && e.channel === '#unlinkme',
      15_000,
    );
    const mark = bob.log.length;
    await alice.sendText(room, '!irc reconnect');
    await bob.waitForMessage(
      (e) =>
        e.type === 'join' && e.nick === 'Alice[m]' && e.channel === CHANNEL && bob.log.indexOf(e) >= mark,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      bob.log
        .slice(mark)
        .some((e) => e.type === 'join' && e.nick === 'Alice[m]' && e.channel === '#unlinkme'),
    ).toBe(false);
  });

  it('a ghost invited into a room that is not a direct chat says so and leaves; the room is not bridged', async () => {
    const group = await alice.createRoom({ name: 'Group', invite: [ghost('bob')] });
    const notice = await alice.waitForEvent(
      group,
      (e) => e.sender === ghost('bob') && e.type === 'm.room.message',
      15_000,
    );
    expect(String(notice.content.body)).toBe(
      'An IRC user can only be written to privately, in a direct chat: start one with bob. ' +
        'To bridge an IRC channel into this room, use "!irc link test/<#channel>".',
    );
    await alice.waitForEvent(group, membershipOf(ghost('bob'), 'leave'), 15_000);
  });
});

describe('after a bridge restart', () => {
  it('an IRC -b still lifts the Matrix ban its +b caused before the restart (stored, not in memory)', async () => {
    await dave.joinRoom(room);
    const joinedFrom = bob.log.length;
    await dave.sendText(room, 'dave is back');
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Dave[m]' && bob.log.indexOf(e) >= joinedFrom,
      15_000,
    );
    const bans = () => alice.timeline(room).filter((e) => membershipOf(dave.userId, 'ban')(e)).length;
    const before = bans();
    bob.mode(CHANNEL, '+b', 'Dave*!*@*');
    await eventually(async () => bans() === before + 1, 'dave banned again');
    await world.stopBridge();
    const mark = bob.log.length;
    await world.startBridge();
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === BOT && bob.log.indexOf(e) >= mark,
      30_000,
    );
    const leaves = () => alice.timeline(room).filter((e) => membershipOf(dave.userId, 'leave')(e)).length;
    const leftBefore = leaves();
    bob.mode(CHANNEL, '-b', 'Dave*!*@*');
    await eventually(async () => leaves() > leftBefore, 'dave unbanned after the restart');
  });
});
