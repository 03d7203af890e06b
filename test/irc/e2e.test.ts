/**
 * The IRC bridge end to end: real Synapse, real InspIRCd, the bridge in-process through the core,
 * a matrix-js-sdk user on Matrix and irc-framework users on IRC.
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

const LOBBY = '#lobby';
const BOT = 'TrestleBot';

let ircd: RunningIrcServer;
let world: BridgeWorld;
let alice: MatrixTestUser;
let bob: IrcTestUser;
let carol: IrcTestUser;
let domain: string;
let lobby: string;
/** A room alice created (so she may set its topic), plumbed into #plumbed. */
let plumbed: string;

const ghostId = (nick: string) => `@irc_test.${nick}:${domain}`;
const ghostSays = (body: string) => (e: MatrixTimelineEvent) =>
  e.type === 'm.room.message' && e.sender.startsWith('@irc_') && e.content.body === body;
const said = (text: string) => (e: IrcLogEntry) =>
  (e.type === 'privmsg' || e.type === 'notice' || e.type === 'action') &&
  e.nick === BOT &&
  e.message === text;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ircd = await startInspircd();
  [bob, carol] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob' }),
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'carol' }),
  ]);
  await bob.join(LOBBY);
  // Channel history (+H) lets the bridge catch up on what it missed while it was down.
  bob.mode(LOBBY, '+H', '50:1d');
  await carol.join(LOBBY);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [testNetwork(ircd, { botNick: BOT, relay: { enabled: true, reactions: true } })],
    },
  });
  domain = world.synapse.serverName;
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  lobby = await alice.joinRoom(`#irc_test_${LOBBY}:${domain}`);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await Promise.all([bob?.quit(), carol?.quit()]);
  await world?.stop();
  await ircd?.stop();
});

describe('portals', () => {
  it('joining #irc_test_#lobby creates a bridged portal room and the bot joins the channel', async () => {
    const info = await alice.getState(lobby, 'm.bridge', 'trestle://irc/test/#lobby');
    expect(info).toMatchObject({ protocol: { id: 'irc' } });
    await bob.waitForMessage((e) => e.type === 'join' && e.nick === BOT && e.channel === LOBBY);
  });

  it('an existing room is plumbed into a channel with the link command and bridges both ways', async () => {
    await bob.join('#plumbed');
    const room = (plumbed = await alice.createRoom({ name: 'Plumbed' }));
    await alice.invite(room, world.botUserId);
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
    );
    await alice.sendText(room, '!irc link test/#plumbed');
    await alice.waitForEvent(
      room,
      (e) => e.sender === world.botUserId && String(e.content.body).includes('now bridged'),
    );
    await alice.sendText(room, 'hello plumbed channel');
    await bob.waitForMessage(said('<Alice> hello plumbed channel'), 10_000);
    bob.say('#plumbed', 'hello plumbed room');
    await alice.waitForEvent(room, ghostSays('hello plumbed room'));
  });
});

describe('IRC -> Matrix', () => {
  it('messages come from the nick ghost with mIRC formatting as HTML', async () => {
    bob.say(LOBBY, 'hello \x02bold\x02 and \x0304red\x03');
    const ev = await alice.waitForEvent(lobby, ghostSays('hello bold and red'));
    expect(ev.sender).toBe(ghostId('bob'));
    expect(ev.content.formatted_body).toMatch(/<(strong|b)>bold<\/(strong|b)>/);
    expect(ev.content.formatted_body).toMatch(/data-mx-color="#ff0000"|color="#ff0000"/i);
    expect((await alice.getState(lobby, 'm.room.member', ev.sender))?.displayname).toBe('bob');
  });

  it('ACTION becomes m.emote and NOTICE becomes m.notice', async () => {
    bob.action(LOBBY, 'waves');
    bob.notice(LOBBY, 'a channel notice');
    expect((await alice.waitForEvent(lobby, ghostSays('waves'))).content.msgtype).toBe('m.emote');
    expect((await alice.waitForEvent(lobby, ghostSays('a channel notice'))).content.msgtype).toBe('m.notice');
  });

  it('a nick that names someone in the channel becomes a pill of their ghost', async () => {
    bob.say(LOBBY, 'carol: lunch?');
    const ev = await alice.waitForEvent(lobby, ghostSays('carol: lunch?'));
    expect(ev.content.formatted_body).toBe(
      `<a href="https://matrix.to/#/${ghostId('carol')}">carol</a>: lunch?`,
    );
    expect(ev.content['m.mentions']).toEqual({ user_ids: [ghostId('carol')] });
  });

  it('addressing a relayed Matrix user by name notifies them on Matrix', async () => {
    await alice.sendText(lobby, 'anyone around?');
    await bob.waitForMessage(said('<Alice> anyone around?'));
    bob.say(LOBBY, 'Alice: yes');
    const ev = await alice.waitForEvent(lobby, ghostSays('Alice: yes'));
    expect(ev.content['m.mentions']).toEqual({ user_ids: [alice.userId] });
  });

  it('join, part, kick and nick changes show as membership and display-name changes', async () => {
    const dave = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'dave' });
    await dave.join(LOBBY);
    await alice.waitForEvent(
      lobby,
      (e) => e.type === 'm.room.member' && e.state_key === ghostId('dave') && e.content.membership === 'join',
    );
    await dave.changeNick('dave2');
    await alice.waitForEvent(
      lobby,
      (e) =>
        e.type === 'm.room.member' && e.state_key === ghostId('dave') && e.content.displayname === 'dave2',
    );
    await bob.kick(LOBBY, 'dave2', 'spam');
    const kick = await alice.waitForEvent(
      lobby,
      (e) =>
        e.type === 'm.room.member' && e.state_key === ghostId('dave') && e.content.membership === 'leave',
    );
    expect(String(kick.content.reason)).toContain('spam');
    await dave.quit();
  });

  it('a topic set on IRC becomes the room topic', async () => {
    await bob.topic(LOBBY, 'IRC topic');
    await alice.waitForEvent(lobby, (e) => e.type === 'm.room.topic' && e.content.topic === 'IRC topic');
  });
});

describe('Matrix -> IRC (relay mode)', () => {
  it('text, HTML, emote and notice reach IRC as <name> lines with mIRC formatting', async () => {
    await alice.sendHtml(lobby, 'bold move', '<b>bold</b> move');
    await bob.waitForMessage(said('<Alice> \x02bold\x02 move'));
    await alice.sendEmote(lobby, 'dances');
    await bob.waitForMessage((e) => e.type === 'action' && e.nick === BOT && e.message === 'Alice dances');
    await alice.sendNotice(lobby, 'fyi');
    await bob.waitForMessage((e) => e.type === 'notice' && e.nick === BOT && e.message === '<Alice> fyi');
  });

  it('a pill of an IRC ghost becomes the plain nick', async () => {
    await alice.sendHtml(lobby, 'bob: look', `<a href="https://matrix.to/#/${ghostId('bob')}">bob</a>: look`);
    await bob.waitForMessage(said('<Alice> bob: look'));
  });

  it('replies quote the original, edits become correction lines, reactions readable actions', async () => {
    bob.say(LOBBY, 'what time is it?');
    const question = await alice.waitForEvent(lobby, ghostSays('what time is it?'));
    await alice.sendReply(lobby, question.event_id, 'noon');
    await bob.waitForMessage(said('<Alice> «bob: what time is it?» noon'));
    const original = await alice.sendText(lobby, 'teh answer');
    await bob.waitForMessage(said('<Alice> teh answer'));
    await alice.sendEdit(lobby, original, 'the answer');
    await bob.waitForMessage(said('<Alice> * correction: the answer'));
    await alice.react(lobby, question.event_id, '👍');
    await bob.waitForMessage(
      (e) =>
        e.type === 'action' && e.nick === BOT && e.message === 'Alice reacted 👍 to bob: "what time is it?"',
    );
  });

  it('an image is announced on IRC with its name', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await alice.sendImage(lobby, png, 'dot.png', 'image/png');
    await bob.waitForMessage(
      (e) => e.nick === BOT && String(e.message).startsWith('<Alice> [image: dot.png]'),
    );
  });

  it('a topic set on Matrix becomes the channel topic once the bot is channel operator', async () => {
    await alice.client.setRoomTopic(plumbed, 'not yet');
    const refused = await alice.waitForEvent(
      plumbed,
      (e) => e.content.msgtype === 'm.notice' && String(e.content.body).includes('could not be delivered'),
    );
    expect(String(refused.content.body)).toMatch(/channel op/i);
    bob.mode('#plumbed', '+o', BOT);
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).includes(`+o ${BOT}`));
    await alice.client.setRoomTopic(plumbed, 'Matrix topic');
    await bob.waitForMessage(
      (e) => e.type === 'topic' && e.channel === '#plumbed' && e.nick === BOT && e.topic === 'Matrix topic',
    );
  });

  it('CR/LF injection cannot smuggle an IRC command: the text arrives as separate message lines', async () => {
    await alice.sendText(lobby, 'hi\r\nQUIT :bye\r\nPRIVMSG #other :pwned');
    await bob.waitForMessage(said('<Alice> PRIVMSG #other :pwned'));
    expect(bob.log.some((e) => e.type === 'quit' && e.nick === BOT)).toBe(false);
    await alice.sendText(lobby, 'still here');
    await bob.waitForMessage(said('<Alice> still here'));
  });

  it('what the bridge says is not echoed back into Matrix (echo-loop guard)', async () => {
    await alice.sendText(lobby, 'no echo please');
    await bob.waitForMessage(said('<Alice> no echo please'));
    await sleep(1500);
    const echoes = alice
      .timeline(lobby)
      .filter((e) => e.sender.startsWith('@irc_') && String(e.content.body).includes('no echo please'));
    expect(echoes).toEqual([]);
    expect(bob.log.filter(said('<Alice> no echo please'))).toHaveLength(1);
  });

  it('a message the channel refuses (+m) produces a visible notice in the room', async () => {
    bob.mode(LOBBY, '+m');
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).some((m) => m.startsWith('+m')));
    const eventId = await alice.sendText(lobby, 'into the void');
    const notice = await alice.waitForEvent(
      lobby,
      (e) => e.content.msgtype === 'm.notice' && String(e.content.body).includes('could not be delivered'),
      20_000,
    );
    expect(String(notice.content.body)).toMatch(/refused/);
    expect(
      (notice.content['m.relates_to'] as { 'm.in_reply_to': { event_id: string } })['m.in_reply_to'].event_id,
    ).toBe(eventId);
    bob.mode(LOBBY, '-m');
    await bob.waitForMessage((e) => e.type === 'mode' && (e.modes ?? []).some((m) => m.startsWith('-m')));
  });
});

describe('private chats without virtual users', () => {
  it("inviting an IRC user's ghost to a direct chat says private chats need virtual users, and it leaves", async () => {
    const dm = await alice.createRoom({ is_direct: true, invite: [ghostId('carol')] });
    const answer = await alice.waitForEvent(
      dm,
      (e) => e.sender === ghostId('carol') && e.type === 'm.room.message',
      15_000,
    );
    expect(String(answer.content.body)).toContain(
      'Private chats on test need your own IRC connection, and this bridge does not open connections for Matrix users there',
    );
    await alice.waitForEvent(
      dm,
      (e) =>
        e.type === 'm.room.member' && e.state_key === ghostId('carol') && e.content.membership === 'leave',
      15_000,
    );
  });
});

describe('restart and catch-up', () => {
  it('lines said while the bridge was down arrive after restart, in order, once, with IRC timestamps', async () => {
    bob.say(LOBBY, 'before the stop');
    await alice.waitForEvent(lobby, ghostSays('before the stop'));
    await world.stopBridge();
    await bob.waitForMessage((e) => e.type === 'quit' && e.nick === BOT);
    const saidAt: number[] = [];
    for (let i = 1; i <= 3; i++) {
      bob.say(LOBBY, `while down ${i}`);
      saidAt.push(Date.now());
      await sleep(1100);
    }
    await world.startBridge();
    const last = await alice.waitForEvent(lobby, ghostSays('while down 3'), 30_000);
    const bodies = alice
      .timeline(lobby)
      .filter(
        (e) =>
          e.type === 'm.room.message' && /^(while down \d|before the stop)$/.test(String(e.content.body)),
      )
      .map((e) => e.content.body);
    expect(bodies).toEqual(['before the stop', 'while down 1', 'while down 2', 'while down 3']);
    // server-time: the event carries when it was said on IRC (second precision), not when it was bridged.
    expect(Math.abs(last.origin_server_ts - saidAt[2]!)).toBeLessThan(1500);
    await sleep(1000);
    expect(alice.timeline(lobby).filter(ghostSays('before the stop'))).toHaveLength(1);
    await alice.sendText(lobby, 'back again');
    await bob.waitForMessage(said('<Alice> back again'), 10_000);
  }, 90_000);
});
