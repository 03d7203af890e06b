import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  WebhookClient,
  type Message,
  type MessageReaction,
  type TextChannel,
  type User,
} from 'discord.js';
import { eventually } from '../eventually';
import { DiscordSimulator } from './simulator';
import type { ChannelRecord, GuildRecord, UserRecord } from './records';

const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildMessageTyping,
  GatewayIntentBits.MessageContent,
];

let sim: DiscordSimulator;
let guild: GuildRecord;
let channel: ChannelRecord;
let alice: UserRecord;
const clients: Client[] = [];

function newClient(intents = ALL_INTENTS): Client {
  const client = new Client({ intents, rest: sim.restOptions() });
  clients.push(client);
  return client;
}

async function loggedIn(intents = ALL_INTENTS): Promise<Client<true>> {
  const client = newClient(intents);
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(sim.token);
  return ready;
}

function nextEvent<T extends unknown[]>(
  client: Client,
  event: string,
  filter: (...args: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      if (!filter(...(args as T))) return;
      client.off(event, listener);
      resolve(args as T);
    };
    client.on(event, listener);
  });
}

beforeEach(async () => {
  sim = await DiscordSimulator.start();
  guild = sim.createGuild({ name: 'Test Guild' });
  channel = sim.createChannel(guild.id, { name: 'general', topic: 'chat here' });
  alice = sim.addMember(guild.id, { username: 'alice', nick: 'Alice A.' });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await sim.stop();
});

describe('Discord simulator driven by discord.js', () => {
  it('lets the bot log in and see its guild, channel and members', async () => {
    const client = await loggedIn();
    expect(client.user.id).toBe(sim.botUserId);
    const seenGuild = client.guilds.cache.get(guild.id);
    expect(seenGuild?.name).toBe('Test Guild');
    const seenChannel = client.channels.cache.get(channel.id) as TextChannel;
    expect(seenChannel.name).toBe('general');
    expect(seenChannel.topic).toBe('chat here');
    const member = await seenGuild!.members.fetch(alice.id);
    expect(member.nickname).toBe('Alice A.');
    expect(sim.gatewayStats.identifies).toBe(1);
  });

  it('sends in GUILD_CREATE only the bot, unless it has the Presence intent and the guild is not large', async () => {
    const cached = (client: Client<true>) => [...client.guilds.cache.get(guild.id)!.members.cache.keys()];
    const owner = guild.ownerId;
    expect(cached(await loggedIn())).toEqual([sim.botUserId]);
    expect(cached(await loggedIn([...ALL_INTENTS, GatewayIntentBits.GuildPresences])).sort()).toEqual(
      [owner, sim.botUserId, alice.id].sort(),
    );
    for (let i = 0; i < 50; i++) sim.addMember(guild.id, { username: `member${i}` });
    const large = await loggedIn([...ALL_INTENTS, GatewayIntentBits.GuildPresences]);
    expect(large.guilds.cache.get(guild.id)!.large).toBe(true);
    expect(cached(large)).toEqual([sim.botUserId]);
  });

  it('sends the member of each mentioned member with the message over the gateway, and no member over REST', async () => {
    const client = await loggedIn();
    const received = nextEvent<[Message]>(client, Events.MessageCreate);
    const sent = sim.asUser(alice.id).send(channel.id, `hi <@${alice.id}>`);
    const [message] = await received;
    expect(message.mentions.members?.get(alice.id)?.displayName).toBe('Alice A.');
    // GET /channels/:id/messages: plain user objects, as Discord documents it; a new client has no cache.
    const later = await loggedIn();
    const fetched = await (later.channels.cache.get(channel.id) as TextChannel).messages.fetch(sent.id);
    expect(fetched.mentions.users.get(alice.id)?.username).toBe('alice');
    expect(fetched.mentions.members?.size ?? 0).toBe(0);
    expect(fetched.member).toBeNull();
  });

  it("delivers a user's message with content, author and member", async () => {
    const client = await loggedIn();
    const received = nextEvent<[Message]>(client, Events.MessageCreate);
    sim.asUser(alice.id).send(channel.id, 'hello **bot**');
    const [message] = await received;
    expect(message.content).toBe('hello **bot**');
    expect(message.author.id).toBe(alice.id);
    expect(message.member?.displayName).toBe('Alice A.');
    expect(message.guildId).toBe(guild.id);
  });

  it('hides content from a bot without the Message Content intent, unless it is mentioned', async () => {
    const client = await loggedIn(ALL_INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent));
    const plain = nextEvent<[Message]>(client, Events.MessageCreate);
    sim.asUser(alice.id).send(channel.id, 'secret words');
    expect((await plain)[0].content).toBe('');
    const mentioned = nextEvent<[Message]>(client, Events.MessageCreate);
    sim.asUser(alice.id).send(channel.id, `hey <@${sim.botUserId}>`);
    expect((await mentioned)[0].content).toBe(`hey <@${sim.botUserId}>`);
  });

  it('refuses to log in with privileged intents not enabled in the portal', async () => {
    sim.setPrivilegedIntents(0);
    const client = newClient();
    await expect(client.login(sim.token)).rejects.toThrow(/disallowed intents/i);
  });

  it('rejects a bad token with TokenInvalid', async () => {
    const client = newClient();
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
  });

  it("stores the bot's message and echoes it back with the bot as author", async () => {
    const client = await loggedIn();
    const echo = nextEvent<[Message]>(client, Events.MessageCreate);
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    const sent = await textChannel.send('from the bot');
    const [echoed] = await echo;
    expect(echoed.id).toBe(sent.id);
    expect(echoed.author.id).toBe(sim.botUserId);
    expect(sim.messages(channel.id).map((m) => m.content)).toEqual(['from the bot']);
  });

  it('posts through a webhook with a custom name, and the echo carries webhook_id', async () => {
    const client = await loggedIn();
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    const webhook = await textChannel.createWebhook({ name: 'Trestle relay' });
    const hookClient = new WebhookClient(
      { id: webhook.id, token: webhook.token! },
      { rest: sim.restOptions() },
    );
    const echo = nextEvent<[Message]>(client, Events.MessageCreate);
    const posted = await hookClient.send({
      content: 'hi from matrix @everyone',
      username: 'Bob (Matrix)',
      avatarURL: 'https://example.org/bob.png',
      allowedMentions: { parse: [] },
    });
    const [echoed] = await echo;
    expect(echoed.webhookId).toBe(webhook.id);
    expect(echoed.author.username).toBe('Bob (Matrix)');
    expect(echoed.mentions.everyone).toBe(false);
    const stored = sim.message(channel.id, posted.id)!;
    expect(stored.webhook).toMatchObject({
      username: 'Bob (Matrix)',
      avatarUrl: 'https://example.org/bob.png',
    });
    await hookClient.editMessage(posted.id, { content: 'edited' });
    expect(sim.message(channel.id, posted.id)!.content).toBe('edited');
    await hookClient.deleteMessage(posted.id);
    expect(sim.message(channel.id, posted.id)).toBeUndefined();
    hookClient.destroy();
  });

  it('refuses webhook names Discord refuses', async () => {
    const client = await loggedIn();
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    const webhook = await textChannel.createWebhook({ name: 'relay' });
    const hookClient = new WebhookClient(
      { id: webhook.id, token: webhook.token! },
      { rest: sim.restOptions() },
    );
    await expect(hookClient.send({ content: 'x', username: 'Discord Admin' })).rejects.toBeInstanceOf(
      DiscordAPIError,
    );
    hookClient.destroy();
  });

  it('round-trips reactions, including custom emoji', async () => {
    const client = await loggedIn();
    const party = sim.createEmoji(guild.id, { name: 'party' });
    const original = sim.asUser(alice.id).send(channel.id, 'react to me');
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    const message = await textChannel.messages.fetch(original.id);
    await message.react('👍');
    expect(sim.message(channel.id, original.id)!.reactions[0]).toMatchObject({
      emoji: { name: '👍' },
      userIds: [sim.botUserId],
    });

    const added = nextEvent<[MessageReaction, User]>(client, Events.MessageReactionAdd);
    sim.asUser(alice.id).react(channel.id, original.id, `party:${party.id}`);
    const [reaction, user] = await added;
    expect(user.id).toBe(alice.id);
    expect(reaction.emoji.id).toBe(party.id);
    expect(reaction.emoji.name).toBe('party');
    const emojiImage = await fetch(reaction.emoji.imageURL()!);
    expect(emojiImage.status).toBe(200);

    const removed = nextEvent<[MessageReaction, User]>(client, Events.MessageReactionRemove);
    sim.asUser(alice.id).unreact(channel.id, original.id, `party:${party.id}`);
    expect((await removed)[1].id).toBe(alice.id);
  });

  it('delivers edits, deletes and typing', async () => {
    const client = await loggedIn();
    const original = sim.asUser(alice.id).send(channel.id, 'first');
    await (client.channels.cache.get(channel.id) as TextChannel).messages.fetch(original.id);
    const updated = nextEvent<[Message, Message]>(client, Events.MessageUpdate);
    sim.asUser(alice.id).edit(channel.id, original.id, 'second');
    expect((await updated)[1].content).toBe('second');
    const typing = nextEvent<[{ user: User }]>(client, Events.TypingStart);
    sim.asUser(alice.id).typing(channel.id);
    expect((await typing)[0].user.id).toBe(alice.id);
    const deleted = nextEvent<[Message]>(client, Events.MessageDelete);
    sim.asUser(alice.id).delete(channel.id, original.id);
    expect((await deleted)[0].id).toBe(original.id);
  });

  it('carries replies and attachments both ways', async () => {
    const client = await loggedIn();
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    const root = sim.asUser(alice.id).send(channel.id, 'root');
    const received = nextEvent<[Message]>(client, Events.MessageCreate, (m) => m.content === 'a file');
    sim.asUser(alice.id).send(channel.id, 'a file', {
      reply: root.id,
      attachments: [{ name: 'note.txt', data: Buffer.from('file body'), contentType: 'text/plain' }],
    });
    const [message] = await received;
    expect(message.reference?.messageId).toBe(root.id);
    const attachment = message.attachments.first()!;
    expect(attachment.name).toBe('note.txt');
    expect(await (await fetch(attachment.url)).text()).toBe('file body');

    const sent = await textChannel.send({
      content: 'reply with a picture',
      reply: { messageReference: root.id },
      files: [new AttachmentBuilder(Buffer.from('png bytes'), { name: 'pic.png' })],
    });
    const stored = sim.message(channel.id, sent.id)!;
    expect(stored.referenceId).toBe(root.id);
    expect(stored.attachments[0]).toMatchObject({ filename: 'pic.png' });
    expect(stored.attachments[0]!.data.toString()).toBe('png bytes');
  });

  it('starts a thread from a message and announces it', async () => {
    const client = await loggedIn();
    const root = sim.asUser(alice.id).send(channel.id, 'thread root');
    const created = nextEvent<[{ id: string; parentId: string | null }]>(client, Events.ThreadCreate);
    const message = await (client.channels.cache.get(channel.id) as TextChannel).messages.fetch(root.id);
    const thread = await message.startThread({ name: 'side chat' });
    expect(thread.id).toBe(root.id);
    expect((await created)[0].parentId).toBe(channel.id);
    const inThread = nextEvent<[Message]>(client, Events.MessageCreate);
    sim.asUser(alice.id).send(thread.id, 'in the thread');
    expect((await inThread)[0].channelId).toBe(thread.id);
  });

  it('resumes a dropped gateway session and replays what was sent meanwhile', async () => {
    const client = await loggedIn();
    const received = nextEvent<[Message]>(client, Events.MessageCreate);
    sim.dropGateway();
    sim.asUser(alice.id).send(channel.id, 'while you were away');
    const [message] = await received;
    expect(message.content).toBe('while you were away');
    expect(sim.gatewayStats).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it('answers 429 with retry_after, and discord.js waits it out', async () => {
    const client = await loggedIn();
    sim.failNext('POST /channels/:channel_id/messages', 429, { retryAfter: 0.2 });
    const started = Date.now();
    await (client.channels.cache.get(channel.id) as TextChannel).send('patient');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(sim.restCalls('POST /channels/:channel_id/messages')).toBe(2);
    expect(sim.messages(channel.id)).toHaveLength(1);
  });

  it("answers Discord's error codes for missing permissions and unknown messages", async () => {
    const client = await loggedIn();
    const textChannel = client.channels.cache.get(channel.id) as TextChannel;
    sim.denyBot(channel.id, 1n << 11n); // SEND_MESSAGES
    await expect(textChannel.send('nope')).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(textChannel.messages.fetch('1234567890')).rejects.toMatchObject({
      status: 404,
      code: 10008,
    });
  });

  it('dispatches member and channel updates', async () => {
    const client = await loggedIn();
    // Alice is not in GUILD_CREATE: discord.js reports an update only for a member it has.
    await client.guilds.cache.get(guild.id)!.members.fetch(alice.id);
    const memberUpdate = nextEvent<[unknown, { nickname: string | null }]>(client, Events.GuildMemberUpdate);
    sim.updateMember(guild.id, alice.id, { nick: 'Alice B.' });
    expect((await memberUpdate)[1].nickname).toBe('Alice B.');
    const channelUpdate = nextEvent<[unknown, TextChannel]>(client, Events.ChannelUpdate);
    sim.updateChannel(channel.id, { topic: 'new topic' });
    expect((await channelUpdate)[1].topic).toBe('new topic');
  });

  it('dispatches joins, leaves, kicks and bans as Discord does (a ban also as GUILD_BAN_ADD, for the Guild Moderation intent)', async () => {
    const client = await loggedIn([...ALL_INTENTS, GatewayIntentBits.GuildModeration]);
    const discordGuild = () => client.guilds.cache.get(guild.id)!;
    const count = discordGuild().memberCount;
    const joined = nextEvent<[{ id: string }]>(client, Events.GuildMemberAdd);
    const [bob, carol, dave] = ['bob', 'carol', 'dave'].map((username) =>
      sim.addMember(guild.id, { username }),
    ) as [UserRecord, UserRecord, UserRecord];
    expect((await joined)[0].id).toBe(bob.id);
    const removed: string[] = [];
    client.on(Events.GuildMemberRemove, (m) => removed.push(m.id));
    const banned = nextEvent<[{ user: { id: string } }]>(client, Events.GuildBanAdd);
    sim.asUser(bob.id).leaveGuild(guild.id);
    sim.kickMember(guild.id, carol.id);
    sim.banMember(guild.id, dave.id);
    expect((await banned)[0].user.id).toBe(dave.id);
    await eventually(async () => removed.length === 3, 'three members removed');
    expect(removed).toEqual([bob.id, carol.id, dave.id]);
    expect(discordGuild().memberCount).toBe(count);
    await expect(discordGuild().members.fetch({ user: bob.id, force: true })).rejects.toMatchObject({
      code: 10007,
    });
  });

  it('shows a private channel to its roles only, and a new guild icon', async () => {
    const client = await loggedIn();
    const staff = sim.createRole(guild.id, { name: 'Staff' });
    const created = nextEvent<[TextChannel]>(client, Events.ChannelCreate);
    const hidden = sim.createChannel(guild.id, { name: 'staff', visibleTo: [staff.id] });
    const staffChannel = (await created)[0];
    const member = await client.guilds.cache.get(guild.id)!.members.fetch(alice.id);
    expect(staffChannel.id).toBe(hidden.id);
    expect(staffChannel.permissionsFor(member).has('ViewChannel')).toBe(false);
    expect(staffChannel.permissionsFor(client.user)!.has('ViewChannel')).toBe(true);
    const updated = nextEvent<[unknown, { roles: { cache: Map<string, unknown> } }]>(
      client,
      Events.GuildMemberUpdate,
    );
    sim.updateMember(guild.id, alice.id, { roles: [staff.id] });
    expect(staffChannel.permissionsFor((await updated)[1] as typeof member).has('ViewChannel')).toBe(true);

    const guildUpdate = nextEvent<[unknown, { iconURL(): string | null }]>(client, Events.GuildUpdate);
    sim.updateGuild(guild.id, { icon: Buffer.from('icon bytes') });
    const icon = (await guildUpdate)[1].iconURL();
    expect(Buffer.from(await (await fetch(icon!)).arrayBuffer()).toString()).toBe('icon bytes');
  });

  it('tells a connected client about a role created later, so role mentions can be named', async () => {
    const client = await loggedIn();
    const roleCreate = nextEvent<[{ id: string; name: string }]>(client, Events.GuildRoleCreate);
    const role = sim.createRole(guild.id, { name: 'Moderators' });
    expect((await roleCreate)[0]).toMatchObject({ id: role.id, name: 'Moderators' });
    expect(client.guilds.cache.get(guild.id)!.roles.cache.get(role.id)?.name).toBe('Moderators');
  });
});
