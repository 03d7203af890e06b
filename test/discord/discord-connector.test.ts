import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { KeyValueStore, MatrixSideEvent, MatrixUser, Portal, RichText } from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import { DiscordConnector, MissingIntentError, type DiscordConfig } from '@trestle/discord';
import {
  DiscordSimulator,
  type DiscordChannelRecord,
  type DiscordGuildRecord,
  type DiscordUserRecord,
} from '@trestle/testkit';
import { FakeBridgeContext, memoryKv } from '@trestle/testkit';

let sim: DiscordSimulator;
let guild: DiscordGuildRecord;
let channel: DiscordChannelRecord;
let alice: DiscordUserRecord;
let connector: DiscordConnector;
let ctx: FakeBridgeContext<DiscordConfig>;
let portal: Portal;

const bob: MatrixUser = { userId: '@bob:test.local', displayName: 'Bob' };
const text = (s: string): RichText => ({
  blocks: [{ type: 'paragraph', children: [{ type: 'text', text: s }] }],
});
const message = (
  content: MatrixSideEvent & { kind: 'message' } extends infer M ? Partial<M> : never,
  body = 'hi',
): MatrixSideEvent => ({
  kind: 'message',
  eventId: `$${Math.random()}`,
  sender: bob,
  content: { type: 'text', msgtype: 'text', body: text(body) },
  ...content,
});

const DISCORD_GHOSTS = { ghostPrefix: '_discord_', domain: 'test.local' };

function configFor(overrides: Partial<DiscordConfig> = {}): DiscordConfig {
  return {
    botToken: sim.token,
    guilds: [],
    webhookName: 'Trestle bridge',
    displayNameSuffix: ' (Matrix)',
    mentions: { everyone: false, roles: false },
    messageContentIntent: true,
    linkApproval: false,
    globalRequestsPerSecond: 50,
    channelInfoFromMatrix: true,
    maxGuildMembers: 10_000,
    mirrorGuildMembers: 1000,
    apiUrl: sim.apiUrl,
    cdnUrl: sim.baseUrl,
    ...overrides,
  };
}

async function startConnector(
  kv: KeyValueStore = memoryKv(),
  overrides: Partial<DiscordConfig> = {},
): Promise<void> {
  connector = new DiscordConnector();
  ctx = new FakeBridgeContext(configFor(overrides), { ghostPrefix: '_discord_', domain: 'test.local', kv });
  await connector.start(ctx);
}

beforeEach(async () => {
  sim = await DiscordSimulator.start();
  guild = sim.createGuild({ name: 'Guild' });
  channel = sim.createChannel(guild.id, { name: 'general' });
  alice = sim.addMember(guild.id, { username: 'alice', nick: 'Alice A.', avatar: Buffer.from('avatar') });
  portal = {
    roomId: '!room:test.local',
    chatId: channel.id,
    kind: 'channel',
    plumbed: false,
    settings: {},
    createdAt: 0,
  };
});

afterEach(async () => {
  await connector?.stop();
  await sim.stop();
});

describe('Discord to Matrix', () => {
  beforeEach(() => startConnector());

  it('emits a Discord message with formatted text, the member name and avatar', async () => {
    const sent = sim.asUser(alice.id).send(channel.id, 'hello **world**');
    const event = await ctx.waitFor('message', (e) => e.id === sent.id);
    expect(event.chatId).toBe(channel.id);
    expect(event.sender).toMatchObject({ id: alice.id, displayName: 'Alice A.' });
    expect((await event.sender.avatar!.fetch()).toString()).toBe('avatar');
    expect(event.parts[0]).toEqual({
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
    });
  });

  it("a member's new guild avatar comes with their next message", async () => {
    const before = sim.asUser(alice.id).send(channel.id, 'before');
    const first = (await ctx.waitFor('message', (e) => e.id === before.id)).sender.avatar!;
    sim.updateMember(guild.id, alice.id, { avatar: Buffer.from('guild avatar') });
    const after = sim.asUser(alice.id).send(channel.id, 'after');
    const second = (await ctx.waitFor('message', (e) => e.id === after.id)).sender.avatar!;
    expect(second.key).not.toBe(first.key);
    expect((await second.fetch()).toString()).toBe('guild avatar');
  });

  it('emits attachments as media that downloads from the CDN, after the text', async () => {
    const sent = sim.asUser(alice.id).send(channel.id, 'see file', {
      attachments: [{ name: 'cat.png', data: Buffer.from('png'), contentType: 'image/png' }],
    });
    const event = await ctx.waitFor('message', (e) => e.id === sent.id);
    expect(event.parts.map((p) => p.type)).toEqual(['text', 'media']);
    const media = event.parts[1]!;
    if (media.type !== 'media') throw new Error('expected media');
    expect(media).toMatchObject({ kind: 'image', name: 'cat.png', mimetype: 'image/png', size: 3 });
    expect((await media.source.fetch()).toString()).toBe('png');
  });

  it('emits replies and thread messages against their portal channel', async () => {
    const root = sim.asUser(alice.id).send(channel.id, 'root');
    const reply = sim.asUser(alice.id).send(channel.id, 'reply', { reply: root.id });
    expect((await ctx.waitFor('message', (e) => e.id === reply.id)).replyTo).toBe(root.id);
    const thread = sim.asUser(alice.id).startThread(channel.id, root.id, 'side');
    const inThread = sim.asUser(alice.id).send(thread.id, 'threaded');
    const event = await ctx.waitFor('message', (e) => e.id === inThread.id);
    expect(event).toMatchObject({ chatId: channel.id, threadRoot: root.id });
  });

  it('emits edits, deletes, typing and reactions with custom emoji images', async () => {
    const emoji = sim.createEmoji(guild.id, { name: 'blob' });
    const sent = sim.asUser(alice.id).send(channel.id, 'first');
    await ctx.waitFor('message', (e) => e.id === sent.id);
    sim.asUser(alice.id).edit(channel.id, sent.id, 'second');
    const edit = await ctx.waitFor('edit', (e) => e.targetId === sent.id);
    expect(edit.content).toMatchObject({ type: 'text', body: text('second') });
    sim.asUser(alice.id).react(channel.id, sent.id, `blob:${emoji.id}`);
    const reaction = await ctx.waitFor('reaction', (e) => e.targetId === sent.id);
    expect(reaction.key).toBe(':blob:');
    expect(reaction.emojiUrl).toBeDefined();
    expect((await reaction.emojiUrl!.fetch()).length).toBeGreaterThan(0);
    sim.asUser(alice.id).unreact(channel.id, sent.id, `blob:${emoji.id}`);
    await ctx.waitFor('reaction-removed', (e) => e.key === ':blob:');
    sim.asUser(alice.id).typing(channel.id);
    expect((await ctx.waitFor('typing')).sender.id).toBe(alice.id);
    sim.asUser(alice.id).delete(channel.id, sent.id);
    await ctx.waitFor('redaction', (e) => e.targetId === sent.id);
  });

  it("never bridges back the bridge's own webhook messages or reactions", async () => {
    const [ref] = await connector.send(portal, message({}, 'from matrix'));
    await connector.send(portal, { kind: 'reaction', eventId: '$r', sender: bob, target: ref!, key: '👍' });
    const marker = sim.asUser(alice.id).send(channel.id, 'marker');
    await ctx.waitFor('message', (e) => e.id === marker.id);
    expect(ctx.emitted.filter((e) => e.kind !== 'typing').map((e) => e.kind === 'message' && e.id)).toEqual([
      marker.id,
    ]);
  });

  it('tells who changed their nickname and what a channel is now called', async () => {
    sim.updateMember(guild.id, alice.id, { nick: 'Alice B.' });
    expect((await ctx.waitFor('profile')).user).toMatchObject({ id: alice.id, displayName: 'Alice B.' });
    sim.updateChannel(channel.id, { name: 'renamed', topic: 'new topic' });
    expect(await ctx.waitFor('chat-info')).toMatchObject({
      chatId: channel.id,
      name: 'renamed (Guild)',
      topic: 'new topic',
    });
  });
});

describe('Matrix to Discord', () => {
  beforeEach(() => startConnector());

  it('posts through a channel webhook under the Matrix name, marked as Matrix', async () => {
    const [ref] = await connector.send(portal, message({}, 'hello *discord*'));
    const stored = sim.message(channel.id, ref!.id)!;
    expect(stored.webhook?.username).toBe('Bob (Matrix)');
    expect(stored.content).toBe('hello \\*discord\\*');
    expect(sim.webhooks(channel.id)).toHaveLength(1);
  });

  it('keeps a Matrix user from taking a Discord member name or another Matrix user name', async () => {
    sim.addMember(guild.id, { username: 'eve', nick: 'Eve (Matrix)' });
    const [eveRef] = await connector.send(
      portal,
      message({ sender: { userId: '@eve:test.local', displayName: 'Eve' } }),
    );
    expect(sim.message(channel.id, eveRef!.id)!.webhook?.username).toBe('Eve (@eve:test.local)');
    await connector.send(portal, message({}));
    const [impostor] = await connector.send(
      portal,
      message({ sender: { userId: '@mallory:test.local', displayName: 'Bob' } }),
    );
    expect(sim.message(channel.id, impostor!.id)!.webhook?.username).toBe('Bob (@mallory:test.local)');
  });

  it('adds the Matrix id to every name in a guild whose members were not listed: bigger than maxGuildMembers, or listing failed', async () => {
    await connector.stop();
    // The guild has the owner and Alice besides the bot: over a cap of 1.
    await startConnector(memoryKv(), { maxGuildMembers: 1 });
    const [big] = await connector.send(portal, message({}));
    expect(sim.message(channel.id, big!.id)!.webhook?.username).toBe('Bob (@bob:test.local)');
    await connector.stop();
    sim.failNext('GET /guilds/:guild_id/members', 403);
    await startConnector();
    const [unlisted] = await connector.send(portal, message({}));
    expect(sim.message(channel.id, unlisted!.id)!.webhook?.username).toBe('Bob (@bob:test.local)');
  });

  it('pings nobody with @everyone typed or @room sent from Matrix, but pings pilled users', async () => {
    const body: RichText = {
      blocks: [
        {
          type: 'paragraph',
          children: [
            { type: 'text', text: '@everyone look ' },
            { type: 'mention', target: { kind: 'everyone' }, text: '@room' },
            { type: 'text', text: ' ' },
            { type: 'mention', target: { kind: 'user', remoteId: alice.id }, text: 'Alice' },
          ],
        },
      ],
    };
    const [ref] = await connector.send(portal, message({ content: { type: 'text', msgtype: 'text', body } }));
    const stored = sim.message(channel.id, ref!.id)!;
    expect(stored.mentionEveryone).toBe(false);
    expect(stored.mentions).toEqual([alice.id]);
    expect(stored.content).not.toMatch(/@everyone/);
  });

  it('edits and deletes its messages through the webhook', async () => {
    const [ref] = await connector.send(portal, message({}, 'typo'));
    await connector.send(portal, {
      kind: 'edit',
      eventId: '$e',
      sender: bob,
      target: [ref!],
      content: { type: 'text', msgtype: 'text', body: text('fixed') },
    });
    expect(sim.message(channel.id, ref!.id)!.content).toBe('fixed');
    await connector.send(portal, { kind: 'redaction', eventId: '$d', sender: bob, target: [ref!] });
    expect(sim.message(channel.id, ref!.id)).toBeUndefined();
  });

  it('reacts as the bot, using a guild emoji when the name matches', async () => {
    const emoji = sim.createEmoji(guild.id, { name: 'blob' });
    const target = sim.asUser(alice.id).send(channel.id, 'react here');
    await connector.send(portal, {
      kind: 'reaction',
      eventId: '$r1',
      sender: bob,
      target: { id: target.id },
      key: '👍',
    });
    await connector.send(portal, {
      kind: 'reaction',
      eventId: '$r2',
      sender: bob,
      target: { id: target.id },
      key: ':blob:',
    });
    expect(sim.message(channel.id, target.id)!.reactions.map((r) => r.emoji)).toEqual([
      { id: null, name: '👍', animated: false },
      { id: emoji.id, name: 'blob', animated: false },
    ]);
    await connector.send(portal, {
      kind: 'reaction-removed',
      eventId: '$r3',
      sender: bob,
      target: { id: target.id },
      key: '👍',
    });
    expect(sim.message(channel.id, target.id)!.reactions).toHaveLength(1);
  });

  it('quotes the original in a reply and posts into threads', async () => {
    const root = sim.asUser(alice.id).send(channel.id, 'original words');
    const [ref] = await connector.send(portal, message({ replyTo: { id: root.id } }, 'answer'));
    const stored = sim.message(channel.id, ref!.id)!;
    expect(stored.content).toContain('> **Alice A.** original words');
    expect(stored.content).toContain(`/channels/${guild.id}/${channel.id}/${root.id}`);
    expect(stored.content.endsWith('answer')).toBe(true);
    const thread = sim.asUser(alice.id).startThread(channel.id, root.id, 'side');
    const [inThread] = await connector.send(portal, message({ threadRoot: { id: root.id } }, 'in thread'));
    expect(sim.message(thread.id, inThread!.id)?.content).toBe('in thread');
  });

  it('uploads Matrix files and refuses ones over the size limit', async () => {
    const source = { mxc: 'mxc://test.local/abc', fetch: async () => Buffer.from('bytes') };
    const [ref] = await connector.send(
      portal,
      message({ content: { type: 'media', kind: 'file', name: 'a.txt', size: 5, source } }),
    );
    expect(sim.message(channel.id, ref!.id)!.attachments[0]).toMatchObject({ filename: 'a.txt' });
    const tooBig = message({
      content: { type: 'media', kind: 'file', name: 'big.bin', size: 50 * 1024 * 1024, source },
    });
    await expect(connector.send(portal, tooBig)).rejects.toMatchObject({
      options: { retryable: false, status: 413 },
    });
  });

  it('splits messages longer than 2000 characters', async () => {
    const long = `${'a'.repeat(1500)}\n${'b'.repeat(1500)}`;
    const refs = await connector.send(portal, message({}, long));
    expect(refs.map((r) => r.part)).toEqual([0, 1]);
  });

  it('reports Discord refusals as RemoteSendError, retryable only when Discord may recover', async () => {
    await connector.send(portal, message({})); // creates the webhook
    // discord.js retries a 5xx three times itself; a fourth failure reaches the core as retryable.
    for (let i = 0; i < 4; i += 1) sim.failNext('POST /webhooks/:webhook_id/:token', 502);
    const retryable = await connector.send(portal, message({})).catch((e: unknown) => e);
    expect(retryable).toBeInstanceOf(RemoteSendError);
    expect((retryable as RemoteSendError).options.retryable).toBe(true);

    const gone = await connector
      .send(portal, {
        kind: 'edit',
        eventId: '$x',
        sender: bob,
        target: [{ id: '1234567890123456789' }],
        content: { type: 'text', msgtype: 'text', body: text('x') },
      })
      .catch((e: unknown) => e);
    expect((gone as RemoteSendError).options).toMatchObject({ retryable: false, status: 404 });

    const locked = sim.createChannel(guild.id, { name: 'locked' });
    sim.denyBot(locked.id, 1n << 29n); // MANAGE_WEBHOOKS
    const denied = await connector
      .send({ ...portal, chatId: locked.id }, message({}))
      .catch((e: unknown) => e);
    expect((denied as RemoteSendError).options).toMatchObject({ retryable: false, status: 403 });
  });
});

describe('room name and topic from Matrix', () => {
  const rename: MatrixSideEvent = { kind: 'name', sender: bob, name: 'New Name' };
  const retopic: MatrixSideEvent = { kind: 'topic', sender: bob, topic: 'New topic' };

  it('renames the channel as a slug and sets its topic', async () => {
    await startConnector();
    await connector.send(portal, rename);
    await connector.send(portal, retopic);
    expect(sim.channel(channel.id)).toMatchObject({ name: 'new-name', topic: 'New topic' });
  });

  it('leaves the channel alone when channelInfoFromMatrix is off', async () => {
    await startConnector(memoryKv(), { channelInfoFromMatrix: false });
    await connector.send(portal, rename);
    await connector.send(portal, retopic);
    expect(sim.channel(channel.id)).toMatchObject({ name: 'general', topic: null });
  });

  it('refuses with the missing permission named when the bot cannot manage the channel', async () => {
    sim.denyBot(channel.id, 1n << 4n);
    await startConnector();
    await expect(connector.send(portal, rename)).rejects.toThrow(/Manage Channels/);
    expect(sim.channel(channel.id)!.name).toBe('general');
  });
});

describe('start-up, linking and catching up', () => {
  it('explains the exact fix when the Message Content intent is disabled', async () => {
    sim.setPrivilegedIntents(1 << 1); // only Server Members
    connector = new DiscordConnector();
    const failure = await connector
      .start(new FakeBridgeContext(configFor(), DISCORD_GHOSTS))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingIntentError);
    expect((failure as Error).message).toMatch(/Message Content Intent/);
    expect((failure as Error).message).not.toMatch(/Server Members Intent/);
  });

  it('says the token is wrong when Discord rejects it', async () => {
    connector = new DiscordConnector();
    await expect(
      connector.start(new FakeBridgeContext(configFor({ botToken: 'wrong' }), DISCORD_GHOSTS)),
    ).rejects.toThrow(/bot token/);
  });

  it('resolves guild_channel aliases and checks links', async () => {
    await startConnector();
    expect(await connector.resolveAlias(`${guild.id}_${channel.id}`)).toMatchObject({
      chatId: channel.id,
      kind: 'channel',
    });
    expect(await connector.resolveAlias('nonsense')).toBeUndefined();
    expect((await connector.prepareLink(channel.id, '@admin:test.local')).chatId).toBe(channel.id);
    sim.denyBot(channel.id, 1n << 29n);
    await ctx.waitFor('chat-info'); // discord.js has seen the channel's new overwrites
    await expect(connector.prepareLink(channel.id, '@admin:test.local')).rejects.toThrow(/Manage Webhooks/);
  });

  it('backfills what was said while the bridge was down, oldest first', async () => {
    const kv = memoryKv();
    await startConnector(kv);
    const seen = sim.asUser(alice.id).send(channel.id, 'seen');
    await ctx.waitFor('message', (e) => e.id === seen.id);
    await new Promise((r) => setTimeout(r, 20)); // let the cursor commit
    await connector.stop();
    const missed = ['one', 'two', 'three'].map((t) => sim.asUser(alice.id).send(channel.id, t).id);
    await startConnector(kv);
    await connector.backfill(portal);
    expect(ctx.emitted.filter((e) => e.kind === 'message').map((e) => e.kind === 'message' && e.id)).toEqual(
      missed,
    );
  });

  it('catches up edits, deletions and reactions made on Discord while the bridge was down', async () => {
    const kv = memoryKv();
    await startConnector(kv);
    const alicia = sim.asUser(alice.id);
    const [edited, deleted, reacted] = ['to edit', 'to delete', 'to react to'].map((t) =>
      alicia.send(channel.id, t),
    );
    alicia.react(channel.id, edited!.id, '👍');
    await ctx.waitFor('reaction', (e) => e.targetId === edited!.id);
    await ctx.waitFor('message', (e) => e.id === reacted!.id);
    await connector.stop();

    alicia.edit(channel.id, edited!.id, 'edited while down');
    alicia.delete(channel.id, deleted!.id);
    alicia.unreact(channel.id, edited!.id, '👍');
    alicia.react(channel.id, reacted!.id, '🎉');
    await startConnector(kv);
    await connector.backfill(portal);

    const caughtUp = ctx.emitted.map((e) => ({
      kind: e.kind,
      target: 'targetId' in e ? e.targetId : undefined,
      ...('key' in e ? { key: e.key } : {}),
    }));
    expect(caughtUp).toEqual(
      expect.arrayContaining([
        { kind: 'edit', target: edited!.id },
        { kind: 'redaction', target: deleted!.id },
        { kind: 'reaction-removed', target: edited!.id, key: '👍' },
        { kind: 'reaction', target: reacted!.id, key: '🎉' },
      ]),
    );
    const edit = ctx.emitted.find((e) => e.kind === 'edit');
    expect(edit?.kind === 'edit' && edit.content).toMatchObject({ type: 'text' });
    expect(ctx.emitted.filter((e) => e.kind === 'message')).toEqual([]);

    // A second restart finds nothing new to bridge.
    await connector.stop();
    await startConnector(kv);
    await connector.backfill(portal);
    expect(ctx.emitted.filter((e) => e.kind !== 'chat-info' && e.kind !== 'profile')).toEqual([]);
  });

  it('a Matrix message deleted on Discord while the bridge was down is redacted on catch-up', async () => {
    const kv = memoryKv();
    await startConnector(kv);
    const [sent] = await connector.send(portal, message({}, 'from matrix'));
    await connector.stop();
    sim.deleteMessage(channel.id, sent!.id);
    await startConnector(kv);
    await connector.backfill(portal);
    expect(ctx.emitted).toEqual([expect.objectContaining({ kind: 'redaction', targetId: sent!.id })]);
  });
});
