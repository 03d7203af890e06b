/**
 * One Matrix room bridged to an IRC channel, a Discord channel and a Telegram group at once, each bridge
 * its own appservice on one real Synapse: what is written on any side reaches the other three exactly
 * once, named after who wrote it, and no bridge re-bridges another bridge's relay of its own messages.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MatrixTestUser, type MatrixTimelineEvent } from '@trestle/testkit';
import {
  IRC_BOT_NICK,
  IRC_NETWORK,
  linkRoom,
  startCrossNetworkWorld,
  type CrossNetworkWorld,
} from './cross-network-world';
import { SIDES, SideViews, type Side } from './side-views';

/** Long enough for a stray echo to make the round trip through two bridges and Synapse. */
const QUIET_MS = 3000;

let world: CrossNetworkWorld;
let alice: MatrixTestUser;
let roomId: string;
let views: SideViews;
let domain: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const relation = (e: MatrixTimelineEvent) => (e.content['m.relates_to'] ?? {}) as Record<string, unknown>;

/** Wait until every side shows a message containing `fragment`. */
async function untilEverySideShows(fragment: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = SIDES.filter((side) => views.count(side, fragment) === 0);
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`"${fragment}" never reached: ${missing.join(', ')}\n${world.bridgeLogs()}`);
    await sleep(100);
  }
}

/** After a quiet period, each side shows `fragment` exactly once. */
async function expectExactlyOnceEverywhere(fragment: string): Promise<void> {
  await untilEverySideShows(fragment);
  await sleep(QUIET_MS);
  const counts = Object.fromEntries(SIDES.map((side) => [side, views.count(side, fragment)]));
  expect(counts).toEqual({ matrix: 1, irc: 1, discord: 1, telegram: 1 });
}

function seenAs(side: Side, fragment: string) {
  return views.seen(side).find((m) => m.text.includes(fragment));
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${world.bridgeLogs()}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  world = await startCrossNetworkWorld();
  domain = world.synapse.serverName;
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  roomId = await alice.createRoom({ name: 'Everyone' });
  await linkRoom(world, alice, roomId);
  views = new SideViews(world, alice, roomId);
}, 240_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG) process.stderr.write(world?.bridgeLogs() ?? '');
  await alice?.stop();
  await world?.stop();
}, 60_000);

describe('a message written on one side reaches the other three exactly once, with its author', () => {
  it('from Matrix: IRC shows <Alice>, Discord a webhook named "Alice (Matrix)", Telegram "Alice: "', async () => {
    await alice.sendText(roomId, 'hello from matrix');
    await expectExactlyOnceEverywhere('hello from matrix');
    expect(seenAs('irc', 'hello from matrix')).toEqual({
      author: IRC_BOT_NICK,
      text: '<Alice> hello from matrix',
    });
    expect(seenAs('discord', 'hello from matrix')).toEqual({
      author: 'Alice (Matrix)',
      text: 'hello from matrix',
    });
    expect(seenAs('telegram', 'hello from matrix')).toEqual({
      author: 'bridge bot',
      text: 'Alice: hello from matrix',
    });
  });

  it('from IRC: Matrix shows the nick ghost tagged [i], and Discord and Telegram relay it under that name', async () => {
    views.ircSay('hello from irc');
    await expectExactlyOnceEverywhere('hello from irc');
    expect(seenAs('matrix', 'hello from irc')?.author).toBe(`bob[i] (@irc_${IRC_NETWORK}.bob:${domain})`);
    expect(seenAs('discord', 'hello from irc')).toEqual({
      author: 'bob[i] (Matrix)',
      text: 'hello from irc',
    });
    expect(seenAs('telegram', 'hello from irc')).toEqual({
      author: 'bridge bot',
      text: 'bob[i]: hello from irc',
    });
  });

  it('from Discord: Matrix shows the Discord ghost tagged [d], and IRC and Telegram relay it under that name', async () => {
    world.discord.asUser(world.people.discord.id).send(world.discordChannel.id, 'hello from discord');
    await expectExactlyOnceEverywhere('hello from discord');
    expect(seenAs('matrix', 'hello from discord')?.author).toBe(
      `Dana[d] (@_discord_${world.people.discord.id}:${domain})`,
    );
    expect(seenAs('irc', 'hello from discord')).toEqual({
      author: IRC_BOT_NICK,
      text: '<Dana[d]> hello from discord',
    });
    expect(seenAs('telegram', 'hello from discord')).toEqual({
      author: 'bridge bot',
      text: 'Dana[d]: hello from discord',
    });
  });

  it('from Telegram: Matrix shows the Telegram ghost tagged [t], and IRC and Discord relay it under that name', async () => {
    world.telegram.asUser(world.people.telegram.id).send(world.telegramChatId, 'hello from telegram');
    await expectExactlyOnceEverywhere('hello from telegram');
    expect(seenAs('matrix', 'hello from telegram')?.author).toBe(
      `Tom[t] (@telegram_${world.people.telegram.id}:${domain})`,
    );
    expect(seenAs('irc', 'hello from telegram')).toEqual({
      author: IRC_BOT_NICK,
      text: '<Tom[t]> hello from telegram',
    });
    expect(seenAs('discord', 'hello from telegram')).toEqual({
      author: 'Tom[t] (Matrix)',
      text: 'hello from telegram',
    });
  });
});

describe('replies, edits, reactions and deletes follow where each network allows', () => {
  it('a Telegram reply to a Discord message is a Matrix reply, quoted on IRC and linked on Discord', async () => {
    const { telegram, telegramChatId, discord, discordChannel, people } = world;
    discord.asUser(people.discord.id).send(discordChannel.id, 'question from discord');
    await untilEverySideShows('question from discord');
    const relayed = telegram
      .messages(telegramChatId)
      .find((m) => 'text' in m && m.text?.includes('question from discord'))!;
    telegram
      .asUser(people.telegram.id)
      .send(telegramChatId, 'answer from telegram', { replyTo: relayed.message_id });
    await expectExactlyOnceEverywhere('answer from telegram');
    const question = alice
      .timeline(roomId)
      .find((e) => String(e.content.body).includes('question from discord'))!;
    const answer = alice
      .timeline(roomId)
      .find((e) => String(e.content.body).includes('answer from telegram'))!;
    expect(relation(answer)).toMatchObject({ 'm.in_reply_to': { event_id: question.event_id } });
    expect(seenAs('irc', 'answer from telegram')?.text).toBe(
      '<Tom[t]> «Dana[d]: question from discord» answer from telegram',
    );
    const original = discord.messages(discordChannel.id).find((m) => m.content === 'question from discord')!;
    expect(seenAs('discord', 'answer from telegram')?.text).toContain(original.id);
  });

  it('a Discord edit becomes an m.replace, an edited Telegram message and a correction line on IRC', async () => {
    const { discord, discordChannel, people, telegram, telegramChatId } = world;
    const sent = discord.asUser(people.discord.id).send(discordChannel.id, 'tpyo from discord');
    await untilEverySideShows('tpyo from discord');
    discord.asUser(people.discord.id).edit(discordChannel.id, sent.id, 'typo fixed from discord');
    await alice.waitForEvent(
      roomId,
      (e) => relation(e).rel_type === 'm.replace' && String(e.content.body).includes('typo fixed'),
    );
    await waitUntil(
      () =>
        telegram
          .messages(telegramChatId)
          .some((m) => 'text' in m && m.text === 'Dana[d]: typo fixed from discord'),
      'the Telegram relay to be edited',
    );
    await waitUntil(() => views.count('irc', 'typo fixed from discord') === 1, 'the IRC correction');
    expect(seenAs('irc', 'typo fixed from discord')?.text).toBe(
      '<Dana[d]> * correction: typo fixed from discord',
    );
  });

  it('a Matrix reaction reaches the Discord original, the Telegram relay and IRC as a line', async () => {
    const { discord, discordChannel, people, telegram, telegramChatId } = world;
    discord.asUser(people.discord.id).send(discordChannel.id, 'react to me');
    await untilEverySideShows('react to me');
    const event = alice.timeline(roomId).find((e) => String(e.content.body) === 'react to me')!;
    await alice.react(roomId, event.event_id, '👍');
    const original = discord.messages(discordChannel.id).find((m) => m.content === 'react to me')!;
    await waitUntil(
      () => discord.message(discordChannel.id, original.id)!.reactions.some((r) => r.emoji.name === '👍'),
      'the Discord reaction',
    );
    const relayed = telegram
      .messages(telegramChatId)
      .find((m) => 'text' in m && m.text === 'Dana[d]: react to me')!;
    await waitUntil(
      () =>
        [...telegram.reactions(telegramChatId, relayed.message_id).values()].some((r) =>
          r.some((x) => 'emoji' in x && x.emoji === '👍'),
        ),
      'the Telegram reaction',
    );
    await waitUntil(
      () => views.seen('irc').some((m) => m.text.startsWith('Alice reacted 👍')),
      'the IRC reaction line',
    );
  });

  it('a Discord delete redacts the Matrix event and deletes the Telegram relay; IRC cannot unsay it', async () => {
    const { discord, discordChannel, people } = world;
    const sent = discord.asUser(people.discord.id).send(discordChannel.id, 'regrettable message');
    await untilEverySideShows('regrettable message');
    const event = alice.timeline(roomId).find((e) => String(e.content.body) === 'regrettable message')!;
    discord.asUser(people.discord.id).delete(discordChannel.id, sent.id);
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content.redacts) === event.event_id,
    );
    await waitUntil(
      () => views.count('telegram', 'regrettable message') === 0,
      'the Telegram relay to be deleted',
    );
    expect(views.count('irc', 'regrettable message')).toBe(1);
  });
});

describe('no echo loops', () => {
  it('after a quiet period every side holds exactly the messages written plus one relay of each', async () => {
    const before = Object.fromEntries(SIDES.map((side) => [side, views.seen(side).length]));
    await alice.sendText(roomId, 'loop check matrix');
    views.ircSay('loop check irc');
    world.discord.asUser(world.people.discord.id).send(world.discordChannel.id, 'loop check discord');
    world.telegram.asUser(world.people.telegram.id).send(world.telegramChatId, 'loop check telegram');
    for (const origin of SIDES) await untilEverySideShows(`loop check ${origin}`);
    await sleep(QUIET_MS);
    const added = Object.fromEntries(SIDES.map((side) => [side, views.seen(side).length - before[side]!]));
    expect(added).toEqual({ matrix: 4, irc: 4, discord: 4, telegram: 4 });
  });
});
