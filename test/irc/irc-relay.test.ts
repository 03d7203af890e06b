/** The IRC connector in relay mode against a real InspIRCd, with the core faked in memory. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatrixSideEvent, MessageContent, Portal, RemoteEvent } from '@trestle/core';
import { IrcConnector, parseIrcConfig, type IrcConfig } from '@trestle/irc';
import { IrcTestUser, startInspircd, type RunningIrcServer } from '@trestle/testkit';
import { FakeBridgeContext } from '@trestle/testkit';

const CHANNEL = '#Trestle';
const chatId = 'test/#trestle';

const text = (body: string, msgtype: 'text' | 'emote' | 'notice' = 'text'): MessageContent => ({
  type: 'text',
  msgtype,
  body: { blocks: [{ type: 'paragraph', children: [{ type: 'text', text: body }] }] },
});
const alice = { userId: '@alice:test.local', displayName: 'Alice' };
const portal: Portal = {
  roomId: '!room:test.local',
  chatId,
  kind: 'channel',
  plumbed: false,
  settings: {},
  createdAt: 0,
};
const message = (
  content: MessageContent,
  extra: Partial<Extract<MatrixSideEvent, { kind: 'message' }>> = {},
): MatrixSideEvent => ({
  kind: 'message',
  eventId: `$${Math.random()}`,
  sender: alice,
  content,
  ...extra,
});
const isMessage = (e: RemoteEvent): e is Extract<RemoteEvent, { kind: 'message' }> => e.kind === 'message';
const bodyText = (e: RemoteEvent) =>
  isMessage(e) && e.parts[0]?.type === 'text' ? JSON.stringify(e.parts[0].body) : '';

describe('IRC connector, relay mode, against InspIRCd', () => {
  let server: RunningIrcServer;
  let connector: IrcConnector;
  let ctx: FakeBridgeContext<IrcConfig>;
  let bob: IrcTestUser;

  beforeAll(async () => {
    server = await startInspircd();
    ctx = new FakeBridgeContext(
      parseIrcConfig({
        networks: [
          {
            name: 'test',
            host: server.host,
            port: server.port,
            tls: false,
            botNick: 'TrestleBot',
            channels: [{ channel: CHANNEL }],
            relay: { enabled: true, reactions: true },
            floodControl: { linesPerSecond: 50, burst: 20 },
          },
        ],
      }),
      { ghostPrefix: 'irc_', domain: 'test.local' },
    );
    connector = new IrcConnector();
    bob = await IrcTestUser.connect({ host: server.host, port: server.port, nick: 'Bob' });
    await bob.join(CHANNEL);
    await connector.start(ctx);
  }, 30_000);

  afterAll(async () => {
    await connector?.stop();
    await bob?.quit();
    await server?.stop();
  });

  it('channel messages reach the core with IR formatting, a msgid and the IRC timestamp', async () => {
    bob.say(CHANNEL, 'hello \x02world\x02');
    const event = await ctx.waitFor('message', (e) => bodyText(e).includes('world'));
    expect(event).toMatchObject({
      kind: 'message',
      chatId,
      sender: { id: 'test.bob', displayName: 'Bob' },
      parts: [
        {
          type: 'text',
          msgtype: 'text',
          body: {
            blocks: [
              {
                type: 'paragraph',
                children: [
                  { type: 'text', text: 'hello ' },
                  { type: 'bold', children: [{ type: 'text', text: 'world' }] },
                ],
              },
            ],
          },
        },
      ],
    });
    expect(isMessage(event) && event.id).not.toMatch(/^\d+-/); // the server's msgid, not a local one
    expect(isMessage(event) && event.timestamp).toBeGreaterThan(Date.now() - 60_000);
  });

  it('actions and notices keep their kind', async () => {
    bob.action(CHANNEL, 'dances');
    bob.notice(CHANNEL, 'heads up');
    await ctx.waitFor(
      'message',
      (e) => e.parts[0]?.type === 'text' && e.parts[0].msgtype === 'emote' && bodyText(e).includes('dances'),
    );
    await ctx.waitFor(
      'message',
      (e) =>
        e.parts[0]?.type === 'text' && e.parts[0].msgtype === 'notice' && bodyText(e).includes('heads up'),
    );
  });

  it('a private message to the bot is answered with one notice saying it reads no messages, and not bridged', async () => {
    bob.say('TrestleBot', 'psst');
    bob.say('TrestleBot', 'psst again');
    await bob.waitForMessage(
      (e) =>
        e.type === 'notice' &&
        e.nick === 'TrestleBot' &&
        e.message?.includes('do not read messages') === true,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.log.filter((e) => e.type === 'notice' && e.nick === 'TrestleBot')).toHaveLength(1);
    expect(ctx.emitted.some((e) => e.kind === 'message' && bodyText(e).includes('psst'))).toBe(false);
  });

  it('Matrix messages, emotes and notices are relayed with the sender name', async () => {
    const refs = await connector.send(portal, message(text('hi from matrix')));
    await bob.waitForMessage(
      (e) => e.type === 'privmsg' && e.nick === 'TrestleBot' && e.message === '<Alice> hi from matrix',
    );
    expect(refs).toHaveLength(1);
    expect(refs[0]!.id).not.toMatch(/^local-/); // learnt from echo-message
    await connector.send(portal, message(text('waves', 'emote')));
    await bob.waitForMessage((e) => e.type === 'action' && e.message === 'Alice waves');
    await connector.send(portal, message(text('fyi', 'notice')));
    await bob.waitForMessage((e) => e.type === 'notice' && e.message === '<Alice> fyi');
  });

  it('Matrix formatting becomes mIRC codes', async () => {
    const content: MessageContent = {
      type: 'text',
      msgtype: 'text',
      body: {
        blocks: [
          {
            type: 'paragraph',
            children: [
              { type: 'italic', children: [{ type: 'text', text: 'slanted' }] },
              { type: 'text', text: ' and ' },
              { type: 'code', text: 'code' },
            ],
          },
        ],
      },
    };
    await connector.send(portal, message(content));
    await bob.waitForMessage((e) => e.message === '<Alice> \x1dslanted\x1d and \x11code\x11');
  });

  it('replies quote the original; edits are correction lines', async () => {
    bob.say(CHANNEL, 'what time is it?');
    const original = await ctx.waitFor('message', (e) => bodyText(e).includes('what time'));
    const id = original.id;
    await connector.send(portal, message(text('noon'), { replyTo: { id } }));
    await bob.waitForMessage((e) => e.message === '<Alice> «Bob: what time is it?» noon');
    await connector.send(portal, {
      kind: 'edit',
      eventId: '$e',
      sender: alice,
      target: [{ id: 'x' }],
      content: text('12:00'),
    });
    await bob.waitForMessage((e) => e.message === '<Alice> * correction: 12:00');
    await connector.send(portal, {
      kind: 'reaction',
      eventId: '$r',
      sender: alice,
      target: { id },
      key: '👍',
    });
    await bob.waitForMessage(
      (e) => e.type === 'action' && e.message === 'Alice reacted 👍 to Bob: "what time is it?"',
    );
  });

  it('CR, LF and NUL in Matrix text never become IRC commands', async () => {
    await connector.send(portal, message(text('hi\r\nQUIT :bye')));
    await connector.send(portal, message(text('\r\nPRIVMSG #other :x')));
    await connector.send(portal, message(text('nul\0JOIN #evil')));
    await connector.send(portal, message(text('sentinel')));
    await bob.waitForMessage((e) => e.message === '<Alice> sentinel');
    const fromBot = bob.log
      .filter((e) => e.nick === 'TrestleBot')
      .map((e) => `${e.type} ${e.target} ${e.message}`);
    expect(fromBot).toEqual(
      expect.arrayContaining([
        `privmsg ${CHANNEL} <Alice> hi`,
        `privmsg ${CHANNEL} <Alice> QUIT :bye`,
        `privmsg ${CHANNEL} <Alice> PRIVMSG #other :x`,
        `privmsg ${CHANNEL} <Alice> nulJOIN #evil`,
      ]),
    );
    // The bot is still connected, still in the channel, and did not join or message anything else.
    expect(bob.log.some((e) => e.nick === 'TrestleBot' && (e.type === 'quit' || e.type === 'part'))).toBe(
      false,
    );
    const other = await IrcTestUser.connect({ host: server.host, port: server.port, nick: 'Watcher' });
    try {
      await other.join('#evil');
      await other.join('#other');
      await connector.send(portal, message(text('still here')));
      await bob.waitForMessage((e) => e.message === '<Alice> still here');
      expect(other.log.filter((e) => e.nick === 'TrestleBot')).toEqual([]);
    } finally {
      await other.quit();
    }
  });

  it('long messages are split within the line limit, formatting re-applied', async () => {
    const long = 'word '.repeat(150).trim();
    const refs = await connector.send(
      portal,
      message({
        type: 'text',
        msgtype: 'text',
        body: {
          blocks: [
            { type: 'paragraph', children: [{ type: 'bold', children: [{ type: 'text', text: long }] }] },
          ],
        },
      }),
    );
    expect(refs.length).toBeGreaterThan(1);
    expect(refs.map((r) => r.part)).toEqual(refs.map((_, i) => i));
    await bob.waitForMessage(
      (e) =>
        e.nick === 'TrestleBot' &&
        (e.message ?? '').startsWith('<Alice> \x02word') &&
        (e.message ?? '').endsWith('word\x02'),
    );
  });

  it('joins, parts, kicks, nick changes and topics become membership, profile and chat-info events', async () => {
    const carol = await IrcTestUser.connect({ host: server.host, port: server.port, nick: 'Carol' });
    await carol.join(CHANNEL);
    await ctx.waitFor(
      'membership',
      (e) => e.membership === 'join' && e.user.id === 'test.carol' && e.chatId === chatId,
    );
    await carol.changeNick('Caroline');
    const profile = await ctx.waitFor('profile', (e) => e.user.displayName === 'Caroline');
    expect(profile).toEqual({ kind: 'profile', user: { id: 'test.carol', displayName: 'Caroline' } });
    await bob.topic(CHANNEL, 'bridged!');
    await ctx.waitFor('chat-info', (e) => e.chatId === chatId && e.topic === 'bridged!');
    await bob.kick(CHANNEL, 'Caroline', 'out');
    const kick = await ctx.waitFor('membership', (e) => e.membership === 'kick');
    expect(kick).toMatchObject({ chatId, user: { id: 'test.carol' }, by: { id: 'test.bob' }, reason: 'out' });
    await carol.join(CHANNEL);
    await carol.part(CHANNEL, 'later');
    await ctx.waitFor('membership', (e) => e.membership === 'leave' && e.user.displayName === 'Caroline');
    await carol.quit();
  });

  it('a portal alias like test_#channel joins the channel and lists who is there', async () => {
    const info = await connector.resolveAlias('test_#NewRoom');
    expect(info).toMatchObject({ chatId: 'test/#newroom', kind: 'channel', name: '#NewRoom', members: [] });
    await bob.join('#newroom');
    await ctx.waitFor('membership', (e) => e.chatId === 'test/#newroom' && e.user.id === 'test.bob');
    expect(await connector.resolveAlias('nosuchnet_#x')).toBeUndefined();
    const linked = await connector.prepareLink('test/#trestle', '@admin:test.local');
    expect(linked.members?.map((m) => m.id)).toContain('test.bob');
  });
});
