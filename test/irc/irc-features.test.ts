/**
 * Private chats started from Matrix, the bot's answer to PMs, kicks and bans both ways, channel
 * operators <-> power levels, and long messages and files as public links: real Synapse, real
 * InspIRCd, the bridge in-process.
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

const CHANNEL = '#mod';
const BOT = 'TrestleBot';
/** What the bridge calls itself in links; the test plays the reverse proxy and fetches them on loopback. */
const PUBLIC_URL = 'https://bridge.example.org';

let ircd: RunningIrcServer;
let world: BridgeWorld;
let bob: IrcTestUser;
let carol: IrcTestUser;
let alice: MatrixTestUser;
let dave: MatrixTestUser;
let domain: string;
/** A room alice created (she is its admin), plumbed into CHANNEL; the bot is given power 100. */
let room: string;

const ghost = (nick: string) => `@irc_test.${nick}:${domain}`;
const says =
  (nick: string, text: string, target = CHANNEL) =>
  (e: IrcLogEntry) =>
    e.type === 'privmsg' && e.nick === nick && e.target === target && e.message === text;
const fromBot = (text: string) => (e: MatrixTimelineEvent) =>
  e.sender === world.botUserId && String(e.content.body).includes(text);
const levelOf = async (userId: string): Promise<number> => {
  const pl = await alice.getState(room, 'm.room.power_levels');
  return ((pl?.users as Record<string, number> | undefined) ?? {})[userId] ?? 0;
};
const setLevel = async (userId: string, level: number) => {
  const pl = (await alice.getState(room, 'm.room.power_levels')) ?? {};
  const users = { ...((pl.users as Record<string, number> | undefined) ?? {}), [userId]: level };
  await alice.client.sendStateEvent(room, 'm.room.power_levels' as never, { ...pl, users } as never, '');
};

beforeAll(async () => {
  ircd = await startInspircd();
  [bob, carol] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob' }),
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'carol' }),
  ]);
  await bob.join(CHANNEL); // first in: channel operator
  await carol.join(CHANNEL);
  bob.mode(CHANNEL, '+v', 'carol');
  await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes('+v carol'));
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [
        testNetwork(ircd, { botNick: BOT, virtualUsers: { enabled: true, nickTemplate: '$DISPLAY[m]' } }),
      ],
      connectRate: { perSecond: 20, jitterMs: 20 },
    },
    config: {
      bridge: {
        public_media: {
          enabled: true,
          external_url: PUBLIC_URL,
          signing_key: 'an-e2e-public-media-signing-key-0123456789',
        },
      },
    },
  });
  domain = world.synapse.serverName;
  await world.startBridge();
  [alice, dave] = await Promise.all([
    MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' }),
    MatrixTestUser.register(world.synapse, 'dave', { displayName: 'Dave' }),
  ]);
  room = await alice.createRoom({ name: 'Moderated', preset: 'public_chat' as never });
  await alice.invite(room, world.botUserId);
  await alice.waitForEvent(
    room,
    (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
  );
  await setLevel(world.botUserId, 100);
  await alice.sendText(room, `!irc link test/${CHANNEL}`);
  await alice.waitForEvent(room, fromBot('now bridged'));
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await Promise.all([alice?.stop(), dave?.stop()]);
  await Promise.all([bob?.quit(), carol?.quit()]);
  await world?.stop();
  await ircd?.stop();
});

describe('private chats started from Matrix', () => {
  let dm: string;

  it("inviting an IRC user's ghost to a direct chat lets the Matrix user write to them from their own nick", async () => {
    dm = await alice.createRoom({
      is_direct: true,
      invite: [ghost('bob')],
      preset: 'trusted_private_chat' as never,
    });
    await alice.waitForEvent(
      dm,
      (e) => e.type === 'm.room.member' && e.state_key === ghost('bob') && e.content.membership === 'join',
      15_000,
    );
    await alice.sendText(dm, 'hi bob, it is alice from Matrix');
    await bob.waitForMessage(says('Alice[m]', 'hi bob, it is alice from Matrix', 'bob'), 15_000);
  });

  it("the IRC user's answer arrives in the same direct chat", async () => {
    bob.say('Alice[m]', 'hello alice, got it');
    const ev = await alice.waitForEvent(dm, (e) => e.content.body === 'hello alice, got it', 15_000);
    expect(ev.sender).toBe(ghost('bob'));
  });

  it('a private message to the bridge bot gets a one-line explanation instead of silence', async () => {
    bob.say(BOT, 'hello bot?');
    const reply = await bob.waitForMessage((e) => e.type === 'notice' && e.nick === BOT, 10_000);
    expect(reply.message).toContain('do not read messages');
  });
});

describe('channel operators and power levels', () => {
  it('NAMES prefixes of a linked channel become power levels of the ghosts (op 50, voice 1)', async () => {
    await eventually(async () => (await levelOf(ghost('bob'))) === 50, 'bob at 50');
    expect(await levelOf(ghost('carol'))).toBe(1);
  });

  it("IRC +o and -o change the ghost's power level", async () => {
    bob.mode(CHANNEL, '+o', 'carol');
    await eventually(async () => (await levelOf(ghost('carol'))) === 50, 'carol at 50');
    bob.mode(CHANNEL, '-o', 'carol');
    await eventually(async () => (await levelOf(ghost('carol'))) === 1, 'carol back at 1');
  });
});

describe('kicks and bans', () => {
  it('a Matrix kick of a ghost while the bot is not channel operator says why nothing happened on IRC', async () => {
    carol.say(CHANNEL, 'LOUD NOISES');
    await alice.waitForEvent(room, (e) => e.content.body === 'LOUD NOISES' && e.sender === ghost('carol'));
    await alice.client.kick(room, ghost('carol'), 'too loud');
    await alice.waitForEvent(room, fromBot('carol was not kicked on IRC'));
    expect(bob.log.some((e) => e.type === 'kick' && e.kicked === 'carol')).toBe(false);
  });

  it('a Matrix kick of a ghost becomes a KICK on IRC once the bot is channel operator', async () => {
    bob.mode(CHANNEL, '+o', BOT);
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes(`+o ${BOT}`));
    carol.say(CHANNEL, 'back in the room');
    await alice.waitForEvent(
      room,
      (e) => e.content.body === 'back in the room' && e.sender === ghost('carol'),
    );
    await alice.client.kick(room, ghost('carol'), 'calm down');
    const kick = await bob.waitForMessage((e) => e.type === 'kick' && e.kicked === 'carol', 10_000);
    expect(kick.nick).toBe(BOT);
    expect(kick.message).toContain('calm down');
  });

  it('a Matrix ban of a ghost sets +b and kicks (never a host ban that would shut out Matrix users), and the ghost stays banned', async () => {
    await carol.join(CHANNEL);
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.member' && e.state_key === ghost('carol') && e.content.membership === 'join',
    );
    await alice.client.ban(room, ghost('carol'), 'spam');
    const mode = await bob.waitForMessage(
      (e) => e.type === 'mode' && (e.modes ?? []).some((m) => m.startsWith('+b ')),
      10_000,
    );
    // Everyone here shares the bridge's host (127.0.0.1), so the ban names the nick, not the host.
    expect(mode.modes!.find((m) => m.startsWith('+b '))).toBe('+b carol!*@*');
    await bob.waitForMessage(
      (e) => e.type === 'kick' && e.kicked === 'carol' && e.message?.includes('spam') === true,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const member = await alice.getState(room, 'm.room.member', ghost('carol'));
    expect(member?.membership).toBe('ban');
  });

  it('a Matrix user raised to the operator level gets +o on IRC through their own nick', async () => {
    await dave.joinRoom(room);
    await dave.sendText(room, 'dave says hi');
    await bob.waitForMessage(says('Dave[m]', 'dave says hi'), 15_000);
    await setLevel(dave.userId, 50);
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes('+o Dave[m]'), 10_000);
  });

  it("an IRC KICK of a Matrix user's nick removes that user from the Matrix room, with the IRC reason", async () => {
    await bob.kick(CHANNEL, 'Dave[m]', 'off topic');
    const kicked = await dave.waitForEvent(
      room,
      (e) => e.type === 'm.room.member' && e.state_key === dave.userId && e.content.membership === 'leave',
      10_000,
    );
    expect(kicked.sender).not.toBe(dave.userId);
    expect(String(kicked.content.reason)).toBe('Kicked on IRC by bob: off topic');
  });
});

describe('long messages and files as links', () => {
  /** Fetch a public link the way the reverse proxy in front of the bridge would. */
  const fetchLink = (url: string) => fetch(`http://127.0.0.1:${world.port}${new URL(url).pathname}`);
  const linkIn = (text: string | undefined) => /https:\/\/\S+/.exec(text ?? '')?.[0] ?? '';

  it('a message beyond the line limit reaches IRC as one line with a link to the whole text', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `line ${i + 1} of a long paste`).join('\n');
    await alice.sendText(room, long);
    const line = await bob.waitForMessage(
      (e) =>
        e.type === 'action' &&
        e.nick === 'Alice[m]' &&
        e.message?.startsWith('posted a long message: ') === true,
      15_000,
    );
    const response = await fetchLink(linkIn(line.message));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toBe(long);
  });

  it('a Matrix image reaches IRC with a link anyone can open', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    await alice.sendImage(room, png, 'dot.png', 'image/png');
    const line = await bob.waitForMessage(
      (e) =>
        e.type === 'privmsg' && e.nick === 'Alice[m]' && e.message?.startsWith('[image: dot.png] ') === true,
      15_000,
    );
    const response = await fetchLink(linkIn(line.message));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
  });

  it('a link whose signature was tampered with is refused', async () => {
    const line = bob.log.find((e) => e.message?.startsWith('[image: dot.png] '));
    const link = linkIn(line?.message);
    const parts = link.split('/');
    parts[parts.length - 2] = 'A'.repeat(22);
    expect((await fetchLink(parts.join('/'))).status).toBe(404);
  });
});
