import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { MatrixUser, RemoteEvent, RichText } from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import { TelegramConnector } from '@trestle/telegram';
import { TelegramSimulator } from '@trestle/testkit';
import { FakeBridgeContext } from '@trestle/testkit';
import type { TelegramConfig } from '@trestle/telegram';
import { portalFor, telegramConfig } from './telegram-fixtures';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAYAAAC56t6BAAAAEklEQVR42mP8z8DwnwEIGGEMADQKBP0Xb+3VAAAAAElFTkSuQmCC',
  'base64',
);
const alice: MatrixUser = { userId: '@alice:example.org', displayName: 'Alice' };
const para = (text: string): RichText => ({
  blocks: [{ type: 'paragraph', children: [{ type: 'text', text }] }],
});

let sim: TelegramSimulator;
let ctx: FakeBridgeContext<TelegramConfig>;
let connector: TelegramConnector;

beforeEach(async () => {
  sim = await TelegramSimulator.start();
  ctx = new FakeBridgeContext(telegramConfig(sim.token, sim.apiRoot), { ghostPrefix: 'telegram_' });
  connector = new TelegramConnector({ pollRetryDelayMs: 20 });
});

afterEach(async () => {
  await connector.stop();
  await sim.stop();
});

function setup() {
  const bob = sim.addUser({ first_name: 'Bob', username: 'bob' });
  const group = sim.createChat({
    type: 'supergroup',
    title: 'Team',
    members: [bob.id],
    bot: 'administrator',
  });
  return { bob, group };
}

const messages = () =>
  ctx.emitted.filter((e): e is Extract<RemoteEvent, { kind: 'message' }> => e.kind === 'message');

describe('Telegram connector, Telegram -> Matrix', () => {
  it('emits a Telegram message with its formatting as IR and its sender', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    sim.asUser(bob.id).send(group.id, 'hi <b>there</b>', { html: true });
    await sim.waitFor(() => messages().length === 1);
    expect(messages()[0]).toMatchObject({
      chatId: String(group.id),
      sender: { id: String(bob.id), displayName: 'Bob' },
      parts: [
        {
          type: 'text',
          body: {
            blocks: [
              {
                type: 'paragraph',
                children: [
                  { type: 'text', text: 'hi ' },
                  { type: 'bold', children: [{ type: 'text', text: 'there' }] },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('keeps an update unconfirmed until emit resolves, and retries it after emit fails, in order', async () => {
    const { bob, group } = setup();
    let failOnce = true;
    ctx.beforeEmit = (event) => {
      if (event.kind === 'message' && failOnce) {
        failOnce = false;
        throw new Error('homeserver down');
      }
    };
    await connector.start(ctx);
    sim.asUser(bob.id).send(group.id, 'first');
    sim.asUser(bob.id).send(group.id, 'second');
    await sim.waitFor(() => messages().length === 2);
    expect(messages().map((m) => m.id)).toEqual(['1', '2']);
    await sim.waitFor(() => sim.pendingUpdates().length === 0);
  });

  it('saves the offset once updates are handled, and resumes from it after a crash', async () => {
    const { bob, group } = setup();
    sim.asUser(bob.id).send(group.id, 'handled before the crash');
    sim.asUser(bob.id).send(group.id, 'not yet handled');
    const [, firstMessage, secondMessage] = sim.pendingUpdates().map((u) => u.update_id);
    // What a previous run saved just before it was killed (Telegram never saw it confirmed).
    await ctx.kv.set('telegram.poller', `offset:${sim.bot.id}`, firstMessage! + 1);
    await connector.start(ctx);
    await sim.waitFor(() => messages().length === 1);
    await sim.waitFor(() => sim.pendingUpdates().length === 0);
    expect(messages().map((m) => m.id)).toEqual(['2']);
    expect(await ctx.kv.get('telegram.poller', `offset:${sim.bot.id}`)).toBe(secondMessage! + 1);
  });

  it('handles one chat in order while another chat proceeds', async () => {
    const { bob, group } = setup();
    const other = sim.createChat({
      type: 'supergroup',
      title: 'Other',
      members: [bob.id],
      bot: 'administrator',
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    ctx.beforeEmit = async (event) => {
      if (event.kind === 'message' && event.chatId === String(group.id) && event.id === '1') await gate;
    };
    await connector.start(ctx);
    sim.asUser(bob.id).send(group.id, 'slow');
    sim.asUser(bob.id).send(group.id, 'after slow');
    sim.asUser(bob.id).send(other.id, 'elsewhere');
    await sim.waitFor(() => messages().length === 1);
    expect(messages()[0]!.chatId).toBe(String(other.id));
    expect(sim.pendingUpdates().length).toBeGreaterThan(0); // not confirmed while chat 1 is in hand
    release();
    await sim.waitFor(() => messages().length === 3);
    expect(
      messages()
        .filter((m) => m.chatId === String(group.id))
        .map((m) => m.id),
    ).toEqual(['1', '2']);
  });

  it('emits photos as media that downloads through getFile, with caption and reply', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    const original = sim.asUser(bob.id).send(group.id, 'look at this');
    sim.asUser(bob.id).send(group.id, 'caption', { photo: png, replyTo: original.message_id });
    await sim.waitFor(() => messages().length === 2);
    const photo = messages()[1]!;
    expect(photo.replyTo).toBe(String(original.message_id));
    const [part] = photo.parts;
    if (part?.type !== 'media') throw new Error('expected media');
    expect(part.kind).toBe('image');
    expect(part.caption).toEqual(para('caption'));
    expect(await (part.source as { fetch(): Promise<Buffer> }).fetch()).toEqual(png);
  });

  it('emits edits and reaction changes', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    // Telegram applies allowed_updates (which asks for reactions) from the first poll on.
    await sim.waitFor(() => sim.botIsPolling);
    const message = sim.asUser(bob.id).send(group.id, 'typo');
    sim.asUser(bob.id).edit(group.id, message.message_id, 'fixed');
    sim.asUser(bob.id).react(group.id, message.message_id, ['👍']);
    sim.asUser(bob.id).react(group.id, message.message_id, ['🔥']);
    await sim.waitFor(() => ctx.emitted.length === 5);
    expect(ctx.emitted.slice(1).map((e) => [e.kind, 'key' in e ? e.key : undefined])).toEqual([
      ['edit', undefined],
      ['reaction', '👍'],
      ['reaction-removed', '👍'],
      ['reaction', '🔥'],
    ]);
    expect(ctx.emitted[1]).toMatchObject({
      targetId: String(message.message_id),
      content: { type: 'text', body: para('fixed') },
    });
  });
});

describe('Telegram connector, Matrix -> Telegram', () => {
  it('relays a Matrix message with a bold name prefix, as a reply', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    const original = sim.asUser(bob.id).send(group.id, 'question?');
    const refs = await connector.send(portalFor(group.id), {
      kind: 'message',
      eventId: '$e1',
      sender: alice,
      content: { type: 'text', msgtype: 'text', body: para('answer') },
      replyTo: { id: String(original.message_id) },
    });
    const sent = sim.message(group.id, Number(refs[0]!.id))!;
    expect(sent).toMatchObject({
      text: 'Alice: answer',
      entities: [{ type: 'bold', offset: 0, length: 5 }],
      reply_to_message: { message_id: original.message_id },
    });
  });

  it('tells two Matrix users with the same display name apart', async () => {
    const { group } = setup();
    await connector.start(ctx);
    const send = (userId: string) =>
      connector.send(portalFor(group.id), {
        kind: 'message',
        eventId: userId,
        sender: { userId, displayName: 'Sam' },
        content: { type: 'text', msgtype: 'text', body: para('hi') },
      });
    await send('@sam1:example.org');
    await send('@sam2:example.org');
    expect(sim.messages(group.id).map((m) => ('text' in m ? m.text : ''))).toEqual([
      'Sam: hi',
      'Sam (@sam2:example.org): hi',
    ]);
  });

  it('sends an image with caption as a reply that keeps its reply link', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    const original = sim.asUser(bob.id).send(group.id, 'show me');
    const refs = await connector.send(portalFor(group.id), {
      kind: 'message',
      eventId: '$img',
      sender: alice,
      content: {
        type: 'media',
        kind: 'image',
        name: 'pic.png',
        mimetype: 'image/png',
        caption: para('here'),
        source: { mxc: 'mxc://x/y', fetch: async () => png },
      },
      replyTo: { id: String(original.message_id) },
    });
    expect(sim.message(group.id, Number(refs[0]!.id))).toMatchObject({
      caption: 'Alice: here',
      reply_to_message: { message_id: original.message_id },
      photo: [{ width: 2, height: 3 }],
    });
  });

  it('edits, deletes and reacts; reactions outside the bot set become a visible reply', async () => {
    const { bob, group } = setup();
    await connector.start(ctx);
    const portal = portalFor(group.id);
    const [ref] = await connector.send(portal, {
      kind: 'message',
      eventId: '$1',
      sender: alice,
      content: { type: 'text', msgtype: 'text', body: para('draft') },
    });
    await connector.send(portal, {
      kind: 'edit',
      eventId: '$2',
      sender: alice,
      target: [ref!],
      content: { type: 'text', msgtype: 'text', body: para('final') },
    });
    expect(sim.message(group.id, Number(ref!.id))).toMatchObject({ text: 'Alice: final' });

    const target = sim.asUser(bob.id).send(group.id, 'nice');
    await connector.send(portal, {
      kind: 'reaction',
      eventId: '$3',
      sender: alice,
      target: { id: String(target.message_id) },
      key: '❤️',
    });
    expect(sim.reactions(group.id, target.message_id).get(sim.bot.id)).toEqual([
      { type: 'emoji', emoji: '❤' },
    ]);
    const [fallback] = await connector.send(portal, {
      kind: 'reaction',
      eventId: '$4',
      sender: alice,
      target: { id: String(target.message_id) },
      key: '🦆',
    });
    expect(sim.message(group.id, Number(fallback!.id))).toMatchObject({
      text: '* Alice reacted with 🦆',
      reply_to_message: { message_id: target.message_id },
    });

    await connector.send(portal, { kind: 'redaction', eventId: '$5', sender: alice, target: [ref!] });
    expect(sim.message(group.id, Number(ref!.id))).toBeUndefined();
  });

  it('reports a 429 as a retryable RemoteSendError with the wait Telegram asked for', async () => {
    const { group } = setup();
    await connector.start(ctx);
    sim.failNext('sendMessage', 429, 3);
    const failure = await connector
      .send(portalFor(group.id), {
        kind: 'message',
        eventId: '$1',
        sender: alice,
        content: { type: 'text', msgtype: 'text', body: para('x') },
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteSendError);
    expect((failure as RemoteSendError).options).toMatchObject({
      retryable: true,
      retryAfterMs: 3000,
      status: 429,
    });
  });
});

describe('Telegram connector, linking', () => {
  it('refuses to link a group where privacy mode would hide messages, naming the fix', async () => {
    const bob = sim.addUser({ first_name: 'Bob' });
    const group = sim.createChat({ type: 'group', title: 'G', members: [bob.id] });
    await connector.start(ctx);
    await expect(connector.prepareLink(String(group.id))).rejects.toThrow(/make it an admin.*\/setprivacy/);
    sim.setBotAdmin(group.id, true);
    await expect(connector.prepareLink(String(group.id))).resolves.toEqual({
      chatId: String(group.id),
      name: 'G',
      kind: 'group',
    });
  });
});
