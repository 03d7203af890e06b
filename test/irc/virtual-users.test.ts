/**
 * Virtual users end to end: real Synapse, real InspIRCd, the bridge in-process. Each Matrix user
 * gets their own IRC connection and nick; PMs become DM rooms both ways; per-user commands.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridge } from '@trestle/irc';
import {
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

const CHANNEL = '#vu';
const BOT = 'TrestleBot';
const SECRET_PASSWORD = 's3cret-services-pass';

let ircd: RunningIrcServer;
let world: BridgeWorld;
let bob: IrcTestUser;
let squatter: IrcTestUser;
let alice: MatrixTestUser;
let dave: MatrixTestUser;
let erin: MatrixTestUser;
let domain: string;
let room: string;
let aliceCommands: string;

const says =
  (nick: string, text: string, target = CHANNEL) =>
  (e: IrcLogEntry) =>
    e.type === 'privmsg' && e.nick === nick && e.target === target && e.message === text;
const botReply = (text: string | RegExp) => (e: MatrixTimelineEvent) =>
  e.sender === world.botUserId &&
  (typeof text === 'string' ? String(e.content.body).includes(text) : text.test(String(e.content.body)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ircd = await startInspircd();
  [bob, squatter] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob' }),
    // Holds the nick Dave's template would give him, so his virtual user must take the next one.
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'Dave[m]' }),
  ]);
  await bob.join(CHANNEL);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [
        testNetwork(ircd, {
          botNick: BOT,
          relay: { enabled: true },
          virtualUsers: { enabled: true, nickTemplate: '$DISPLAY[m]', maxConnections: 2, overLimit: 'relay' },
        }),
      ],
      connectRate: { perSecond: 20, jitterMs: 20 },
      secretKey: 'an-e2e-test-secret-key-of-some-length',
    },
  });
  domain = world.synapse.serverName;
  await world.startBridge();
  [alice, dave, erin] = await Promise.all([
    MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' }),
    MatrixTestUser.register(world.synapse, 'dave', { displayName: 'Dave' }),
    MatrixTestUser.register(world.synapse, 'erin', { displayName: 'Erin' }),
  ]);
  room = await alice.joinRoom(`#irc_test_${CHANNEL}:${domain}`);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await Promise.all([alice?.stop(), dave?.stop(), erin?.stop()]);
  await Promise.all([bob?.quit(), squatter?.quit()]);
  await world?.stop();
  await ircd?.stop();
});

describe('virtual users', () => {
  it('a Matrix user joining a portal joins the channel under their own nick from the template', async () => {
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Alice[m]' && e.channel === CHANNEL,
      15_000,
    );
  });

  it("a Matrix user's messages come from their own nick, with no <name> prefix and no echo back", async () => {
    await alice.sendText(room, 'hello from my own nick');
    await bob.waitForMessage(says('Alice[m]', 'hello from my own nick'), 10_000);
    await sleep(500);
    const echoed = alice.timeline(room).filter((e) => e.sender.startsWith('@irc_test.alice'));
    expect(echoed).toEqual([]);
  });

  it('a nick already taken on IRC is resolved with a predictable suffix', async () => {
    await dave.joinRoom(room);
    await dave.sendText(room, 'dave here');
    await bob.waitForMessage(says('Dave[m]_2', 'dave here'), 15_000);
  });

  it('a user over the connection limit is relayed by the bot instead', async () => {
    await erin.joinRoom(room);
    await erin.sendText(room, 'no connection left for me');
    await bob.waitForMessage(says(BOT, '<Erin> no connection left for me'), 15_000);
  });

  it('an IRC line addressed to a virtual nick mentions the Matrix user', async () => {
    bob.say(CHANNEL, 'Alice[m]: ping');
    const ev = await alice.waitForEvent(room, (e) => e.content.body === 'Alice[m]: ping');
    expect(String(ev.content.formatted_body)).toContain(`https://matrix.to/#/@alice:${domain}`);
  });
});

describe('private messages', () => {
  let dm: string;

  it('an IRC user writing to a virtual nick opens a DM room for the Matrix user', async () => {
    bob.say('Alice[m]', 'psst, alice');
    const invite = await alice.waitForInvite((i) => i.sender === world.botUserId, 20_000);
    dm = await alice.joinRoom(invite.room_id);
    const ev = await alice.waitForEvent(dm, (e) => e.content.body === 'psst, alice', 15_000);
    expect(ev.sender).toBe(`@irc_test.bob:${domain}`);
  });

  it("the Matrix user's answer in the DM reaches the IRC user from their own nick", async () => {
    await alice.sendText(dm, 'hi bob, privately');
    await bob.waitForMessage(says('Alice[m]', 'hi bob, privately', 'bob'), 10_000);
  });
});

describe('per-user commands', () => {
  beforeAll(async () => {
    aliceCommands = await alice.createRoom({ name: 'IRC bridge' });
    await alice.invite(aliceCommands, world.botUserId);
    await alice.waitForEvent(
      aliceCommands,
      (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
    );
  });

  it('rooms lists the nick and channels of the user', async () => {
    await alice.sendText(aliceCommands, '!irc rooms');
    await alice.waitForEvent(aliceCommands, botReply(`test: Alice[m] in ${CHANNEL}`));
  });

  it('whois answers what the server says about a nick', async () => {
    await alice.sendText(aliceCommands, '!irc whois bob');
    await alice.waitForEvent(aliceCommands, botReply(/^bob is bob@/));
  });

  it('nick changes the nick on IRC, where others see a nick change', async () => {
    await alice.sendText(aliceCommands, '!irc nick Ally');
    await bob.waitForMessage(
      (e) => e.type === 'nick' && e.nick === 'Alice[m]' && e.newNick === 'Ally',
      10_000,
    );
    await alice.waitForEvent(aliceCommands, botReply('You are now Ally on test'));
  });

  it('login stores the services password without ever logging it', async () => {
    await alice.sendText(aliceCommands, `!irc login alice ${SECRET_PASSWORD}`);
    await alice.waitForEvent(aliceCommands, botReply('Stored your account alice'));
    expect(world.bridgeLog()).not.toContain(SECRET_PASSWORD);
  });

  it('quit disconnects, and the next message reconnects under the chosen nick', async () => {
    await alice.sendText(aliceCommands, '!irc quit');
    await bob.waitForMessage((e) => e.type === 'quit' && e.nick === 'Ally', 10_000);
    await alice.sendText(room, 'back again');
    await bob.waitForMessage(says('Ally', 'back again'), 15_000);
  });
});

describe('bridge restart', () => {
  it('virtual users connected before a restart are reconnected and rejoin their channels', async () => {
    await world.stopBridge();
    await bob.waitForMessage((e) => e.type === 'quit' && e.nick === 'Ally', 10_000);
    const seen = bob.log.length;
    await world.startBridge();
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Ally' && e.channel === CHANNEL && bob.log.indexOf(e) >= seen,
      20_000,
    );
    await alice.sendText(room, 'after the restart');
    await bob.waitForMessage(says('Ally', 'after the restart'), 15_000);
  });
});
