/**
 * A real netsplit: two InspIRCd servers linked with spanning tree, IRC users on server B, the
 * bridge on server A. An operator on A SQUITs B; the QUITs A's clients see carry the two server
 * names, which the bridge holds for `netsplitGraceSeconds`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridge } from '@trestle/irc';
import {
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startTwoServerNetwork,
  type BridgeWorld,
  type IrcLogEntry,
  type MatrixTimelineEvent,
  type TwoServerNetwork,
} from '@trestle/testkit';
import { testNetwork } from './test-network';

const CHANNEL = '#split';
const BOT = 'TrestleBot';
const GRACE_SECONDS = 4;
const SPLIT_REASON = 'irc-a.trestle.test irc-b.trestle.test';

let net: TwoServerNetwork;
let world: BridgeWorld;
/** On server A, beside the bridge: sees what A sees. */
let amy: IrcTestUser;
/** On server B: they vanish from A in a split. */
let ben: IrcTestUser;
let bea: IrcTestUser;
let alice: MatrixTestUser;
let room: string;

const ghost = (nick: string) => `@irc_test.${nick}:${world.synapse.serverName}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isLeaveOf = (nick: string) => (e: MatrixTimelineEvent) =>
  e.type === 'm.room.member' && e.state_key === ghost(nick) && e.content.membership === 'leave';
const isSplitNotice = (e: MatrixTimelineEvent) =>
  e.sender === world.botUserId && String(e.content.body).includes('did not come back after a netsplit');
const quitOf = (nick: string, since: number) => (e: IrcLogEntry) =>
  e.type === 'quit' && e.nick === nick && amy.log.indexOf(e) >= since;
const membership = async (nick: string) =>
  (await alice.getState(room, 'm.room.member', ghost(nick)))?.membership;

beforeAll(async () => {
  net = await startTwoServerNetwork();
  [amy, ben, bea] = await Promise.all([
    IrcTestUser.connect({ host: net.a.host, port: net.a.port, nick: 'amy' }),
    IrcTestUser.connect({ host: net.b.host, port: net.b.port, nick: 'ben' }),
    IrcTestUser.connect({ host: net.b.host, port: net.b.port, nick: 'bea' }),
  ]);
  await amy.join(CHANNEL);
  await Promise.all([ben.join(CHANNEL), bea.join(CHANNEL)]);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [testNetwork(net.a, { botNick: BOT, netsplitGraceSeconds: GRACE_SECONDS })],
    },
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  room = await alice.joinRoom(`#irc_test_${CHANNEL}:${world.synapse.serverName}`);
  // Both B users speak, so their ghosts are surely in the room before the splits.
  ben.say(CHANNEL, 'ben here');
  bea.say(CHANNEL, 'bea here');
  await alice.waitForEvent(room, (e) => e.sender === ghost('ben') && e.content.body === 'ben here', 15_000);
  await alice.waitForEvent(room, (e) => e.sender === ghost('bea') && e.content.body === 'bea here', 15_000);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await Promise.all([amy?.quit(), ben?.quit(), bea?.quit()]);
  await world?.stop();
  await net?.stop();
});

describe('a real netsplit between two linked servers', () => {
  it('users on the split server who come back within the grace period never leave the Matrix room', async () => {
    const since = amy.log.length;
    const timelineBefore = alice.timeline(room).length;
    await net.split();
    const quit = await amy.waitForMessage(quitOf('ben', since));
    expect(quit.message).toBe(SPLIT_REASON);
    await net.link();
    await amy.waitForMessage((e) => e.type === 'join' && e.nick === 'ben' && amy.log.indexOf(e) > since);
    ben.say(CHANNEL, 'back after the split');
    await alice.waitForEvent(
      room,
      (e) => e.sender === ghost('ben') && e.content.body === 'back after the split',
    );
    // Past the grace period: still nothing that says they left.
    await sleep((GRACE_SECONDS + 1) * 1000);
    const after = alice.timeline(room).slice(timelineBefore);
    expect(after.filter(isLeaveOf('ben'))).toEqual([]);
    expect(after.filter(isLeaveOf('bea'))).toEqual([]);
    expect(after.filter(isSplitNotice)).toEqual([]);
    expect(await membership('ben')).toBe('join');
    expect(await membership('bea')).toBe('join');
  }, 40_000);

  it('users who do not come back leave after the grace period, with one summary notice', async () => {
    const since = amy.log.length;
    const timelineBefore = alice.timeline(room).length;
    const splitAt = Date.now();
    await net.split();
    await amy.waitForMessage(quitOf('bea', since));
    const notice = await alice.waitForEvent(
      room,
      (e) => isSplitNotice(e) && alice.timeline(room).indexOf(e) >= timelineBefore,
      (GRACE_SECONDS + 10) * 1000,
    );
    expect(Date.now() - splitAt).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 - 500);
    expect(notice.content.body).toBe(
      `2 IRC user(s) did not come back after a netsplit (${SPLIT_REASON}): ben, bea`,
    );
    await alice.waitForEvent(room, isLeaveOf('ben'));
    await alice.waitForEvent(room, isLeaveOf('bea'));
    await sleep(1000);
    expect(alice.timeline(room).slice(timelineBefore).filter(isSplitNotice)).toHaveLength(1);
  }, 40_000);
});
