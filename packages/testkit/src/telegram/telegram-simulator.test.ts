import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Telegraf, TelegramError } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import { TelegramSimulator } from './telegram-simulator';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAYAAAC56t6BAAAAEklEQVR42mP8z8DwnwEIGGEMADQKBP0Xb+3VAAAAAElFTkSuQmCC',
  'base64',
);

let sim: TelegramSimulator;
const running: Telegraf[] = [];

function newBot(): Telegraf {
  const bot = new Telegraf(sim.token, { telegram: { apiRoot: sim.apiRoot } });
  bot.catch(() => undefined);
  return bot;
}

/** Launch telegraf and wait until its long poll is held by the simulator. */
async function launch(
  bot: Telegraf,
  allowedUpdates?: Array<'message' | 'edited_message' | 'message_reaction' | 'my_chat_member'>,
) {
  const stopped = bot.launch(allowedUpdates ? { allowedUpdates } : {});
  stopped.catch(() => undefined);
  running.push(bot);
  await sim.waitFor(() => sim.botIsPolling);
  return { stopped };
}

async function stop(bot: Telegraf, { stopped }: { stopped: Promise<void> }) {
  bot.stop();
  running.splice(running.indexOf(bot), 1);
  await stopped;
}

beforeEach(async () => {
  sim = await TelegramSimulator.start({ limits: { uploadBytes: 64 * 1024, downloadBytes: 1024 } });
});

afterEach(async () => {
  for (const bot of running.splice(0)) {
    try {
      bot.stop();
    } catch {
      // already stopped by a 409
    }
  }
  await sim.stop();
});

describe('Telegram simulator driven by telegraf 4.16.3', () => {
  it('delivers a user message to telegraf and shows the reply in the chat, linked to it', async () => {
    const alice = sim.addUser({ first_name: 'Alice', username: 'alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const bot = newBot();
    bot.on('message', (ctx) =>
      ctx.reply(`echo: ${(ctx.message as Message.TextMessage).text}`, {
        reply_parameters: { message_id: ctx.message.message_id },
      }),
    );
    await launch(bot);

    const sent = sim.asUser(alice.id).send(group.id, 'hello bot');
    const reply = (await sim.waitForMessage(
      group.id,
      (m) => m.from?.id === sim.bot.id,
    )) as Message.TextMessage;

    expect(reply.text).toBe('echo: hello bot');
    expect(reply.reply_to_message?.message_id).toBe(sent.message_id);
  });

  it('parses parse_mode HTML into entities with UTF-16 offsets, as Telegram does', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'group', title: 'G', members: [alice.id] });
    const message = await newBot().telegram.sendMessage(
      group.id,
      '😀 <b>bold <i>both</i></b> <a href="https://example.org">link</a> <pre><code class="language-ts">x</code></pre> <a href="tg://user?id=' +
        alice.id +
        '">Alice</a> &lt;3',
      { parse_mode: 'HTML' },
    );

    expect(message.text).toBe('😀 bold both link x Alice <3');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 3, length: 9 },
      { type: 'italic', offset: 8, length: 4 },
      { type: 'text_link', offset: 13, length: 4, url: 'https://example.org' },
      { type: 'pre', offset: 18, length: 1, language: 'ts' },
      { type: 'text_mention', offset: 20, length: 5, user: alice },
    ]);
  });

  it('refuses malformed HTML with the "can\'t parse entities" 400', async () => {
    const group = sim.createChat({
      type: 'group',
      title: 'G',
      members: [sim.addUser({ first_name: 'A' }).id],
    });
    await expect(
      newBot().telegram.sendMessage(group.id, '<b>open', { parse_mode: 'HTML' }),
    ).rejects.toMatchObject({
      code: 400,
      description: expect.stringContaining("can't parse entities"),
    });
  });

  it('keeps the reply link of a photo sent with reply_parameters as a JSON string (telegraf multipart workaround)', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'supergroup', title: 'Team', members: [alice.id] });
    const original = sim.asUser(alice.id).send(group.id, '/start');
    const telegram = newBot().telegram;

    // telegraf 4.16.3 drops object-valued reply_parameters from multipart uploads ...
    const lost = await telegram.sendPhoto(
      group.id,
      { source: png, filename: 'a.png' },
      { caption: 'lost', reply_parameters: { message_id: original.message_id } },
    );
    // ... and sends a JSON string as-is, which Telegram decodes.
    const kept = await telegram.sendPhoto(
      group.id,
      { source: png, filename: 'a.png' },
      {
        caption: '<b>kept</b>',
        parse_mode: 'HTML',
        reply_parameters: JSON.stringify({ message_id: original.message_id }) as never,
      },
    );

    expect(lost.reply_to_message).toBeUndefined();
    expect(kept.reply_to_message?.message_id).toBe(original.message_id);
    expect(kept.caption).toBe('kept');
    expect(kept.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 4 }]);
    expect(kept.photo[0]).toMatchObject({ width: 2, height: 3, file_size: png.length });
    const link = await telegram.getFileLink(kept.photo[0]!.file_id);
    expect(Buffer.from(await (await fetch(link)).arrayBuffer())).toEqual(png);
  });

  it("lets the bot edit and react to messages; an admin bot that asked for reactions receives users' reactions", async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const reactions: Update.MessageReactionUpdate['message_reaction'][] = [];
    const bot = newBot();
    bot.on('message_reaction', (ctx) => void reactions.push(ctx.messageReaction));
    await launch(bot, ['message', 'message_reaction']);

    const mine = await bot.telegram.sendMessage(group.id, 'first');
    const edited = await bot.telegram.editMessageText(group.id, mine.message_id, undefined, 'second');
    await bot.telegram.setMessageReaction(group.id, mine.message_id, [{ type: 'emoji', emoji: '👍' }]);
    sim.asUser(alice.id).react(group.id, mine.message_id, ['🔥']);

    expect(edited).toMatchObject({ text: 'second', edit_date: expect.any(Number) });
    expect(sim.reactions(group.id, mine.message_id).get(sim.bot.id)).toEqual([
      { type: 'emoji', emoji: '👍' },
    ]);
    await sim.waitFor(() => reactions.length === 1);
    expect(reactions[0]).toMatchObject({
      user: alice,
      message_id: mine.message_id,
      new_reaction: [{ type: 'emoji', emoji: '🔥' }],
    });
    await expect(
      bot.telegram.setMessageReaction(group.id, mine.message_id, [{ type: 'emoji', emoji: '🦆' as '👍' }]),
    ).rejects.toMatchObject({
      code: 400,
      description: 'Bad Request: REACTION_INVALID',
    });
  });

  it('does not deliver reactions when message_reaction is not in allowed_updates', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const bot = newBot();
    const seen: string[] = [];
    bot.use((ctx, next) => (ctx.updateType !== 'my_chat_member' && seen.push(ctx.updateType), next()));
    await launch(bot);
    const message = sim.asUser(alice.id).send(group.id, 'hi');
    sim.asUser(alice.id).react(group.id, message.message_id, ['🔥']);
    sim.asUser(alice.id).send(group.id, 'after');
    await sim.waitFor(() => seen.length === 2);
    expect(seen).toEqual(['message', 'message']);
  });

  it('delivers user edits as edited_message and albums as messages sharing a media_group_id', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const updates: Update[] = [];
    const bot = newBot();
    bot.use((ctx, next) => (ctx.updateType !== 'my_chat_member' && updates.push(ctx.update), next()));
    await launch(bot);
    const message = sim.asUser(alice.id).send(group.id, 'typo');
    sim.asUser(alice.id).edit(group.id, message.message_id, 'fixed');
    sim.asUser(alice.id).sendAlbum(
      group.id,
      [
        { kind: 'photo', media: png },
        { kind: 'photo', media: png },
      ],
      'album',
    );

    await sim.waitFor(() => updates.length === 4);
    expect(updates[1]).toMatchObject({ edited_message: { message_id: message.message_id, text: 'fixed' } });
    const album = updates.slice(2).map((u) => (u as Update.MessageUpdate<Message.PhotoMessage>).message);
    expect(album[0]!.media_group_id).toBeDefined();
    expect(album[1]!.media_group_id).toBe(album[0]!.media_group_id);
    expect(album[0]!.caption).toBe('album');
  });

  it('sends a media group of uploads as one album', async () => {
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [sim.addUser({ first_name: 'A' }).id],
    });
    const messages = await newBot().telegram.sendMediaGroup(group.id, [
      { type: 'photo', media: { source: png, filename: '1.png' }, caption: 'one' },
      { type: 'photo', media: { source: png, filename: '2.png' } },
    ]);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.media_group_id).toBe(messages[1]!.media_group_id);
    expect(sim.messages(group.id)).toHaveLength(2);
  });

  it('never redelivers confirmed updates after a restart, but redelivers unconfirmed ones', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const firstRun: string[] = [];
    const bot1 = newBot();
    bot1.on('message', (ctx) => void firstRun.push((ctx.message as Message.TextMessage).text));
    const stopped = await launch(bot1);
    sim.asUser(alice.id).send(group.id, 'one');
    await sim.waitFor(() => firstRun.length === 1);
    await stop(bot1, stopped);

    sim.asUser(alice.id).send(group.id, 'two');
    // Fetched but not confirmed (no later offset), as when a bridge crashes mid-handling.
    const peeked = await newBot().telegram.getUpdates(0, 100, 0, undefined);
    expect(peeked.map((u) => (u as Update.MessageUpdate<Message.TextMessage>).message.text)).toEqual(['two']);

    const secondRun: string[] = [];
    const bot2 = newBot();
    bot2.on('message', (ctx) => void secondRun.push((ctx.message as Message.TextMessage).text));
    await launch(bot2);
    await sim.waitFor(() => secondRun.length === 1);
    sim.asUser(alice.id).send(group.id, 'three');
    await sim.waitFor(() => secondRun.length === 2);
    expect(firstRun).toEqual(['one']);
    expect(secondRun).toEqual(['two', 'three']);
  });

  it('surfaces an injected 429 with retry_after', async () => {
    const group = sim.createChat({
      type: 'group',
      title: 'G',
      members: [sim.addUser({ first_name: 'A' }).id],
    });
    sim.failNext('sendMessage', 429, 7);
    const failure = await newBot()
      .telegram.sendMessage(group.id, 'x')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TelegramError);
    expect(failure).toMatchObject({
      code: 429,
      parameters: { retry_after: 7 },
      description: 'Too Many Requests: retry after 7',
    });
    await expect(newBot().telegram.sendMessage(group.id, 'x')).resolves.toMatchObject({ text: 'x' });
  });

  it('terminates a held long poll with 409 Conflict when a second instance polls', async () => {
    const first = newBot();
    const firstStopped = await launch(first);
    const second = newBot();
    const secondStopped = second.launch();
    secondStopped.catch(() => undefined);
    running.push(second);

    await expect(firstStopped.stopped).rejects.toMatchObject({
      code: 409,
      description: expect.stringContaining('terminated by other getUpdates request'),
    });
    running.splice(running.indexOf(first), 1);
    await stop(second, { stopped: secondStopped });
  });

  it('hides ordinary group messages from a non-admin bot in privacy mode, but shows commands and replies to it', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'group', title: 'G', members: [alice.id] });
    const texts: string[] = [];
    const bot = newBot();
    bot.on('message', (ctx) => void texts.push((ctx.message as Message.TextMessage).text));
    await launch(bot);
    const botMessage = await bot.telegram.sendMessage(group.id, 'I am here');

    sim.asUser(alice.id).send(group.id, 'just chatting');
    sim.asUser(alice.id).send(group.id, '/help@other_bot');
    sim.asUser(alice.id).send(group.id, '/help');
    sim.asUser(alice.id).send(group.id, 'answer', { replyTo: botMessage.message_id });
    await sim.waitFor(() => texts.length === 2);
    expect(texts).toEqual(['/help', 'answer']);
  });

  it("never delivers other bots' messages", async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const otherBot = sim.addUser({ first_name: 'Other', username: 'other_bot', is_bot: true });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'G',
      members: [alice.id, otherBot.id],
      bot: 'administrator',
    });
    const texts: string[] = [];
    const bot = newBot();
    bot.on('message', (ctx) => void texts.push((ctx.message as Message.TextMessage).text));
    await launch(bot);
    sim.asUser(otherBot.id).send(group.id, 'from a bot');
    sim.asUser(alice.id).send(group.id, 'from a person');
    await sim.waitFor(() => texts.length === 1);
    expect(texts).toEqual(['from a person']);
  });

  it('follows a group to its supergroup: migrate_to_chat_id update, and 400 with migrate_to_chat_id on the old id', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'group', title: 'G', members: [alice.id] });
    const migrations: number[] = [];
    const bot = newBot();
    bot.on('message', (ctx) => {
      if ('migrate_to_chat_id' in ctx.message) migrations.push(ctx.message.migrate_to_chat_id);
    });
    await launch(bot);
    const newId = sim.migrateToSupergroup(group.id);
    await sim.waitFor(() => migrations.length === 1);
    expect(migrations).toEqual([newId]);
    await expect(bot.telegram.sendMessage(group.id, 'x')).rejects.toMatchObject({
      code: 400,
      parameters: { migrate_to_chat_id: newId },
    });
    await expect(bot.telegram.sendMessage(newId, 'x')).resolves.toMatchObject({
      chat: { id: newId, type: 'supergroup' },
    });
  });

  it('puts forum topic messages in their thread', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const forum = sim.createChat({
      type: 'supergroup',
      title: 'F',
      isForum: true,
      members: [alice.id],
      bot: 'administrator',
    });
    const topic = sim.createForumTopic(forum.id, 'Ideas');
    const byUser = sim.asUser(alice.id).send(forum.id, 'idea', { threadId: topic });
    const byBot = await newBot().telegram.sendMessage(forum.id, 'noted', { message_thread_id: topic });
    expect(byUser).toMatchObject({ message_thread_id: topic, is_topic_message: true });
    expect(byBot).toMatchObject({ message_thread_id: topic, is_topic_message: true });
    // Telegram links a topic message that replies to nothing to the topic's creation message.
    expect((byUser as Message.TextMessage).reply_to_message).toMatchObject({
      message_id: topic,
      forum_topic_created: { name: 'Ideas' },
    });
  });

  it('renaming, closing and reopening a topic post service messages in it that reach the bot', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const forum = sim.createChat({
      type: 'supergroup',
      title: 'F',
      isForum: true,
      members: [alice.id],
      bot: 'administrator',
    });
    const topic = sim.createForumTopic(forum.id, 'Ideas');
    sim.editForumTopic(forum.id, topic, 'Plans');
    sim.closeForumTopic(forum.id, topic);
    sim.reopenForumTopic(forum.id, topic);
    const bot = newBot();
    const seen: Message[] = [];
    bot.on('message', (ctx) => void seen.push(ctx.message));
    const running = await launch(bot);
    await sim.waitFor(() => seen.length === 4);
    await stop(bot, running);
    expect(seen.slice(1)).toEqual([
      expect.objectContaining({ forum_topic_edited: { name: 'Plans' }, message_thread_id: topic }),
      expect.objectContaining({ forum_topic_closed: {}, message_thread_id: topic, is_topic_message: true }),
      expect.objectContaining({ forum_topic_reopened: {}, message_thread_id: topic }),
    ]);
  });

  it('lets an admin bot with "Manage topics" rename a topic, and refuses it without that right', async () => {
    const forum = sim.createChat({ type: 'supergroup', title: 'F', isForum: true, bot: 'administrator' });
    const topic = sim.createForumTopic(forum.id, 'Ideas');
    const telegram = newBot().telegram;
    await expect(telegram.editForumTopic(forum.id, topic, { name: 'Plans' })).resolves.toBe(true);
    expect(sim.messages(forum.id).at(-1)).toMatchObject({
      forum_topic_edited: { name: 'Plans' },
      message_thread_id: topic,
    });
    sim.setBotManagesTopics(forum.id, false);
    expect(await telegram.getChatMember(forum.id, sim.bot.id)).toMatchObject({ can_manage_topics: false });
    await expect(telegram.editForumTopic(forum.id, topic, { name: 'No' })).rejects.toMatchObject({
      code: 400,
      description: 'Bad Request: not enough rights to manage topics',
    });
  });

  it('serves the chat photo through getChat and getFile, and announces changes with service messages', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'G',
      members: [alice.id],
      bot: 'administrator',
    });
    sim.setChatPhoto(group.id, png, alice.id);
    const telegram = newBot().telegram;
    const chat = await telegram.getChat(group.id);
    const fileId = 'photo' in chat ? chat.photo?.big_file_id : undefined;
    const response = await fetch(await telegram.getFileLink(fileId!));
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    sim.deleteChatPhoto(group.id, alice.id);
    expect('photo' in (await telegram.getChat(group.id))).toBe(false);
    expect(sim.messages(group.id).map((m) => Object.keys(m).find((k) => k.endsWith('chat_photo')))).toEqual([
      'new_chat_photo',
      'delete_chat_photo',
    ]);
  });

  it('answers Bot API size limits: 413 for big uploads, "file is too big" from getFile', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({ type: 'supergroup', title: 'G', members: [alice.id] });
    const telegram = newBot().telegram;
    await expect(
      telegram.sendDocument(group.id, { source: Buffer.alloc(65 * 1024), filename: 'big.bin' }),
    ).rejects.toMatchObject({ code: 413 });
    const big = sim.asUser(alice.id).send(group.id, '', {
      document: { data: Buffer.alloc(2048), filename: 'b.bin' },
    }) as Message.DocumentMessage;
    await expect(telegram.getFile(big.document.file_id)).rejects.toMatchObject({
      code: 400,
      description: 'Bad Request: file is too big',
    });
  });

  it('answers 403 after the bot is kicked, and reports chats, members and profile photos', async () => {
    const alice = sim.addUser({ first_name: 'Alice', photos: [png] });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const telegram = newBot().telegram;
    await expect(telegram.getChat(group.id)).resolves.toMatchObject({
      id: group.id,
      title: 'Team',
      type: 'supergroup',
    });
    await expect(telegram.getChatMember(group.id, alice.id)).resolves.toMatchObject({
      status: 'creator',
      user: alice,
    });
    const admins = await telegram.getChatAdministrators(group.id);
    expect(admins.map((a) => a.user.id).sort()).toEqual([alice.id, sim.bot.id].sort());
    const photos = await telegram.getUserProfilePhotos(alice.id);
    expect(photos.total_count).toBe(1);
    await telegram.sendChatAction(group.id, 'typing');
    expect(sim.chatActions).toEqual([{ chatId: group.id, action: 'typing' }]);

    sim.removeBot(group.id);
    await expect(telegram.sendMessage(group.id, 'x')).rejects.toMatchObject({
      code: 403,
      description: 'Forbidden: bot was kicked from the supergroup chat',
    });
  });

  it('deletes messages without telling the bot (the Bot API has no deletion updates)', async () => {
    const alice = sim.addUser({ first_name: 'Alice' });
    const group = sim.createChat({
      type: 'supergroup',
      title: 'Team',
      members: [alice.id],
      bot: 'administrator',
    });
    const telegram = newBot().telegram;
    const message = await telegram.sendMessage(group.id, 'bye');
    const before = sim.pendingUpdates().length;
    await expect(telegram.deleteMessage(group.id, message.message_id)).resolves.toBe(true);
    expect(sim.message(group.id, message.message_id)).toBeUndefined();
    expect(sim.pendingUpdates()).toHaveLength(before);
    await expect(telegram.deleteMessage(group.id, message.message_id)).rejects.toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
  });
});
