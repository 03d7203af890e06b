import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  Client,
  Events,
  GatewayIntentBits,
  RateLimitError,
  type Guild,
  type TextChannel,
  type ThreadChannel,
} from 'discord.js';
import { DiscordSimulator } from './simulator';
import { ChannelEditLimits } from './channel-edit-limits';
import type { ChannelRecord, GuildRecord, UserRecord } from './records';

let sim: DiscordSimulator;
let guild: GuildRecord;
let channel: ChannelRecord;
let alice: UserRecord;
let client: Client<true> | undefined;

/** A bot that gives up on every rate limit at once, so a test sees the 429 Discord sent. */
async function loggedIn(): Promise<Client<true>> {
  const c = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { ...sim.restOptions(), rejectOnRateLimit: () => true },
  });
  const ready = new Promise<Client<true>>((resolve) => c.once(Events.ClientReady, resolve));
  await c.login(sim.token);
  client = await ready;
  return client;
}

beforeEach(async () => {
  sim = await DiscordSimulator.start();
  guild = sim.createGuild({ name: 'Test Guild' });
  channel = sim.createChannel(guild.id, { name: 'general', topic: 'chat here' });
  alice = sim.addMember(guild.id, { username: 'alice' });
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await sim.stop();
});

describe('archived threads (GET /channels/:channel_id/threads/archived/public)', () => {
  it('lists archived threads most recently archived first, pages with before, and unarchives a thread that gets a message', async () => {
    const threads = ['one', 'two', 'three'].map((name) => {
      const root = sim.asUser(alice.id).send(channel.id, `root of ${name}`);
      return sim.asUser(alice.id).startThread(channel.id, root.id, name);
    });
    for (const thread of threads) {
      sim.archiveThread(thread.id);
      await new Promise((r) => setTimeout(r, 5)); // distinct archive timestamps
    }
    const bot = await loggedIn();
    const text = bot.channels.cache.get(channel.id) as TextChannel;
    expect((await bot.guilds.cache.get(guild.id)!.channels.fetchActiveThreads()).threads.size).toBe(0);

    const first = await text.threads.fetchArchived({ limit: 2 });
    expect([...first.threads.values()].map((t) => t.name)).toEqual(['three', 'two']);
    expect(first.hasMore).toBe(true);
    expect(first.threads.get(threads[2]!.id)!.archived).toBe(true);
    const oldest = first.threads.get(threads[1]!.id)!.archivedAt!;
    const second = await text.threads.fetchArchived({ before: oldest, limit: 2 });
    expect([...second.threads.values()].map((t) => t.name)).toEqual(['one']);
    expect(second.hasMore).toBe(false);

    sim.asUser(alice.id).send(threads[0]!.id, 'back to life');
    expect((await text.threads.fetchArchived()).threads.map((t) => t.name)).toEqual(['three', 'two']);
    const active = await bot.guilds.cache.get(guild.id)!.channels.fetchActiveThreads();
    expect([...active.threads.keys()]).toEqual([threads[0]!.id]);
  });
});

describe('archived threads refuse changes (400, code 50083 "Thread is archived")', () => {
  /** A thread of #general with a message of the bot's and one of Alice's, as the bot sees it. */
  async function threadWithMessages() {
    const root = sim.asUser(alice.id).send(channel.id, 'root');
    const thread = sim.asUser(alice.id).startThread(channel.id, root.id, 'side chat');
    const bot = await loggedIn();
    const seen = (await bot.channels.fetch(thread.id)) as ThreadChannel;
    const mine = await seen.send('from the bot');
    const alices = sim.asUser(alice.id).send(thread.id, 'from alice');
    return { thread, seen, mine, alices, bot };
  }

  it('refuses edits and reactions, takes deletions, and the bot with Send Messages in Threads may reopen it', async () => {
    const { thread, seen, mine, alices } = await threadWithMessages();
    const doomed = await seen.send('deleted while archived');
    sim.archiveThread(thread.id);
    await expect(mine.edit('edited')).rejects.toMatchObject({ status: 400, code: 50083 });
    await expect(mine.react('👍')).rejects.toMatchObject({ status: 400, code: 50083 });
    expect(() => sim.asUser(alice.id).edit(thread.id, alices.id, 'edited')).toThrow('Thread is archived');
    expect(() => sim.asUser(alice.id).react(thread.id, alices.id, '👍')).toThrow('Thread is archived');
    await doomed.delete();
    expect(sim.message(thread.id, doomed.id)).toBeUndefined();
    expect(sim.channel(thread.id)!.thread!.archived).toBe(true);

    await seen.setArchived(false);
    expect(sim.channel(thread.id)!.thread!.archived).toBe(false);
    await mine.edit('edited');
    await mine.react('👍');
    expect(sim.message(thread.id, mine.id)).toMatchObject({ content: 'edited' });
    // Renaming it or archiving it needs Manage Threads (or having started it).
    await expect(seen.setName('renamed')).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(seen.setArchived(true)).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it('keeps a locked one closed to a bot without Manage Threads: no reopening, no messages, no deletions', async () => {
    const { thread, seen, mine, bot } = await threadWithMessages();
    sim.archiveThread(thread.id, { locked: true });
    await expect(seen.setArchived(false)).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(seen.send('still here?')).rejects.toMatchObject({ status: 400, code: 50083 });
    await expect(mine.delete()).rejects.toMatchObject({ status: 400, code: 50083 });
    expect(() => sim.asUser(alice.id).send(thread.id, 'me too?')).toThrow('Thread is archived');
    const fresh = (await bot.channels.fetch(thread.id, { force: true })) as ThreadChannel;
    expect(fresh).toMatchObject({ archived: true, locked: true, unarchivable: false });
    // A moderator may still delete.
    sim.deleteMessage(thread.id, mine.id);
    expect(sim.message(thread.id, mine.id)).toBeUndefined();
  });
});

describe('guild members (GET /guilds/:guild_id/members)', () => {
  it('pages by user id with after and limit (1 to 1000), and answers 403 without the Server Members switch', async () => {
    for (const username of ['m1', 'm2', 'm3', 'm4']) sim.addMember(guild.id, { username });
    const bot = await loggedIn();
    const members = bot.guilds.cache.get(guild.id)!.members;
    // The owner, the bot, alice and four more, by user id.
    const all = await members.list({ limit: 1000, cache: false });
    expect(all.size).toBe(7);
    const ids = [...all.keys()];
    expect(ids).toEqual([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const page = await members.list({ limit: 2, after: ids[3]!, cache: false });
    expect([...page.keys()]).toEqual(ids.slice(4, 6));
    expect([...(await members.list({ cache: false })).keys()]).toEqual([ids[0]]);
    await expect(members.list({ limit: 1001 })).rejects.toMatchObject({ status: 400 });

    sim.setPrivilegedIntents(GatewayIntentBits.MessageContent);
    await expect(members.list({ limit: 10 })).rejects.toMatchObject({ status: 403, code: 50001 });
  });
});

describe('active threads (GET /guilds/:guild_id/threads/active)', () => {
  it("lists the guild's threads with their parent and newest message, for discord.js's fetchActiveThreads", async () => {
    const other = sim.createChannel(guild.id, { name: 'other' });
    const root = sim.asUser(alice.id).send(channel.id, 'root');
    const thread = sim.asUser(alice.id).startThread(channel.id, root.id, 'side chat');
    const inThread = sim.asUser(alice.id).send(thread.id, 'in the thread');
    const otherRoot = sim.asUser(alice.id).send(other.id, 'other root');
    sim.asUser(alice.id).startThread(other.id, otherRoot.id, 'elsewhere');
    const bot = await loggedIn();
    const discordGuild: Guild = bot.guilds.cache.get(guild.id)!;

    const fetched = await discordGuild.channels.fetchActiveThreads();
    expect([...fetched.threads.keys()].sort()).toEqual([otherRoot.id, thread.id].sort());
    const seen = fetched.threads.get(thread.id)!;
    expect(seen.parentId).toBe(channel.id);
    expect(seen.lastMessageId).toBe(inThread.id);
    const ofChannel = await (bot.channels.cache.get(channel.id) as TextChannel).threads.fetchActive();
    expect([...ofChannel.threads.keys()]).toEqual([thread.id]);
    const page = await seen.messages.fetch({ after: root.id, limit: 100 });
    expect([...page.values()].map((m) => m.content)).toEqual(['in the thread']);
  });
});

describe('channel name and topic limit (2 changes per channel per 10 minutes)', () => {
  it('answers a third rename with a 429 whose retry_after covers the rest of the window; the name stays', async () => {
    const bot = await loggedIn();
    const seen = bot.channels.cache.get(channel.id) as TextChannel;
    await seen.setName('one');
    await seen.setName('two');
    const refused = await seen.setName('three').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RateLimitError);
    const retryAfter = (refused as RateLimitError).retryAfter;
    expect(retryAfter).toBeGreaterThan(590_000);
    expect(retryAfter).toBeLessThanOrEqual(601_000);
    expect(sim.channel(channel.id)!.name).toBe('two');
    // The topic has a budget of its own; a PATCH that changes nothing limited is not counted.
    await seen.setTopic('new topic');
    await seen.setName('two');
    expect(sim.channel(channel.id)!.topic).toBe('new topic');
  });

  it('takes a shorter window from the test, after which renames go through again', async () => {
    sim.setChannelEditLimit({ edits: 1, windowMs: 300 });
    const bot = await loggedIn();
    const seen = bot.channels.cache.get(channel.id) as TextChannel;
    await seen.setName('first');
    await expect(seen.setName('second')).rejects.toBeInstanceOf(RateLimitError);
    await new Promise((r) => setTimeout(r, 350));
    await seen.setName('second');
    expect(sim.channel(channel.id)!.name).toBe('second');
  });

  it('counts a change of name and topic in one request against both, all or nothing', () => {
    const limits = new ChannelEditLimits({ edits: 2, windowMs: 1000 });
    expect(limits.take('c', ['name'], 0)).toBeUndefined();
    expect(limits.take('c', ['name', 'topic'], 100)).toBeUndefined();
    expect(limits.take('c', ['name', 'topic'], 200)).toBe(800);
    expect(limits.take('c', ['topic'], 300)).toBeUndefined();
    expect(limits.take('c', ['topic'], 400)).toBe(700);
    expect(limits.take('other', ['name'], 400)).toBeUndefined();
    expect(limits.take('c', ['name'], 1000)).toBeUndefined();
  });
});
