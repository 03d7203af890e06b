import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Client, Events, GatewayIntentBits, RateLimitError, type Guild, type TextChannel } from 'discord.js';
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
