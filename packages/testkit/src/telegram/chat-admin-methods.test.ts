/**
 * The simulator's chat-admin methods (createForumTopic, setChatTitle, setChatDescription), called through
 * the real telegraf client: their results, their refusals without the admin right, and the service
 * messages that Telegram sends back to the bot that caused them.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { TelegramSimulator } from './telegram-simulator';

let sim: TelegramSimulator;
let telegram: Telegram;

/** The messages of the updates now queued for the bot. */
const queuedMessages = () =>
  sim
    .pendingUpdates()
    .map((u: Update) => ('message' in u ? u.message : 'channel_post' in u ? u.channel_post : undefined))
    .filter((m) => m !== undefined);

beforeEach(async () => {
  sim = await TelegramSimulator.start();
  telegram = new Telegram(sim.token, { apiRoot: sim.apiRoot });
});

afterEach(async () => {
  await sim.stop();
});

describe('createForumTopic', () => {
  it('opens a topic whose creation message reaches the bot, even though the bot created it', async () => {
    const forum = sim.createChat({ type: 'supergroup', title: 'F', isForum: true, bot: 'administrator' });
    const topic = await telegram.createForumTopic(forum.id, 'Ideas');
    expect(topic).toEqual({ message_thread_id: expect.any(Number), name: 'Ideas', icon_color: 0x6fb9f0 });
    expect(queuedMessages().at(-1)).toMatchObject({
      message_id: topic.message_thread_id,
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      from: { id: sim.bot.id },
      forum_topic_created: { name: 'Ideas' },
    });
    // The new topic takes messages at once.
    const posted = await telegram.sendMessage(forum.id, 'hi', { message_thread_id: topic.message_thread_id });
    expect(posted).toMatchObject({ message_thread_id: topic.message_thread_id });
  });

  it('is refused without "Manage topics", in a chat without topics, and for an empty name', async () => {
    const forum = sim.createChat({ type: 'supergroup', title: 'F', isForum: true, bot: 'administrator' });
    sim.setBotManagesTopics(forum.id, false);
    await expect(telegram.createForumTopic(forum.id, 'No')).rejects.toMatchObject({
      code: 400,
      description: 'Bad Request: not enough rights to create a topic',
    });
    const member = sim.createChat({ type: 'supergroup', title: 'M', isForum: true, bot: 'member' });
    await expect(telegram.createForumTopic(member.id, 'No')).rejects.toMatchObject({ code: 400 });
    const plain = sim.createChat({ type: 'supergroup', title: 'P', bot: 'administrator' });
    await expect(telegram.createForumTopic(plain.id, 'No')).rejects.toMatchObject({
      description: 'Bad Request: the chat is not a forum',
    });
    sim.setBotManagesTopics(forum.id, true);
    await expect(telegram.createForumTopic(forum.id, '')).rejects.toMatchObject({ code: 400 });
  });
});

describe('setChatTitle', () => {
  it('renames the chat, and the new_chat_title message reaches the bot that caused it', async () => {
    const group = sim.createChat({ type: 'supergroup', title: 'Old', bot: 'administrator' });
    await expect(telegram.setChatTitle(group.id, 'New')).resolves.toBe(true);
    await expect(telegram.getChat(group.id)).resolves.toMatchObject({ title: 'New' });
    expect(queuedMessages().at(-1)).toMatchObject({
      chat: { id: group.id, title: 'New' },
      from: { id: sim.bot.id },
      new_chat_title: 'New',
    });
    const before = sim.messages(group.id).length;
    await expect(telegram.setChatTitle(group.id, 'New')).resolves.toBe(true);
    expect(sim.messages(group.id)).toHaveLength(before);
  });

  it('is refused without "Change group info", and for a non-admin bot', async () => {
    const group = sim.createChat({ type: 'supergroup', title: 'Old', bot: 'administrator' });
    sim.setBotChangesInfo(group.id, false);
    expect(await telegram.getChatMember(group.id, sim.bot.id)).toMatchObject({ can_change_info: false });
    await expect(telegram.setChatTitle(group.id, 'New')).rejects.toMatchObject({
      code: 400,
      description: 'Bad Request: not enough rights to change chat title',
    });
    const member = sim.createChat({ type: 'group', title: 'G', bot: 'member' });
    await expect(telegram.setChatTitle(member.id, 'New')).rejects.toMatchObject({ code: 400 });
    expect((await telegram.getChat(group.id)) as { title?: string }).toMatchObject({ title: 'Old' });
  });

  it('in a channel, the rename is a channel post', async () => {
    const channel = sim.createChat({ type: 'channel', title: 'News', bot: 'administrator' });
    await telegram.setChatTitle(channel.id, 'Updates');
    expect(queuedMessages().at(-1)).toMatchObject({
      sender_chat: { id: channel.id },
      new_chat_title: 'Updates',
    });
  });

  it('a rename by a user reaches a bot in privacy mode too (service message)', () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'group', title: 'Old', members: [alice.id] });
    sim.setChatTitle(group.id, 'Renamed', alice.id);
    expect(queuedMessages().at(-1)).toMatchObject({ from: { id: alice.id }, new_chat_title: 'Renamed' });
  });
});

describe('setChatDescription', () => {
  it('sets the description getChat returns, posts nothing, and refuses without the right', async () => {
    const group = sim.createChat({ type: 'supergroup', title: 'G', bot: 'administrator' });
    const before = sim.messages(group.id).length;
    await expect(telegram.setChatDescription(group.id, 'About us')).resolves.toBe(true);
    await expect(telegram.getChat(group.id)).resolves.toMatchObject({ description: 'About us' });
    expect(sim.messages(group.id)).toHaveLength(before);
    await expect(telegram.setChatDescription(group.id, 'About us')).rejects.toMatchObject({
      description: 'Bad Request: chat description is not modified',
    });
    await expect(telegram.setChatDescription(group.id, 'x'.repeat(256))).rejects.toMatchObject({ code: 400 });
    sim.setBotChangesInfo(group.id, false);
    await expect(telegram.setChatDescription(group.id, 'Other')).rejects.toMatchObject({
      description: 'Bad Request: not enough rights to set chat description',
    });
    expect(sim.chatDescription(group.id)).toBe('About us');
  });
});
