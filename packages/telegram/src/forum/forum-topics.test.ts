import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openStore, type RemoteEvent, type Store } from '@trestle/core';
import type { Update } from 'telegraf/types';
import { ForumTopics, parseTopicChatId } from './forum-topics';

const forum = { id: -1001, type: 'supergroup', title: 'Forum', is_forum: true };
const from = { id: 7, is_bot: false, first_name: 'Bob' };
const creation = { message_id: 5, date: 1, chat: forum, from, forum_topic_created: { name: 'Ideas' } };

function inTopic(messageId: number, extra: Record<string, unknown> = {}): Update {
  return {
    update_id: messageId,
    message: {
      message_id: messageId,
      date: 1,
      chat: forum,
      from,
      text: 'hi',
      message_thread_id: 5,
      is_topic_message: true,
      reply_to_message: creation,
      ...extra,
    },
  } as unknown as Update;
}

const message = (id: string, chatId = '-1001'): RemoteEvent => ({
  kind: 'message',
  chatId,
  id,
  sender: { id: '7' },
  parts: [],
  threadRoot: '5',
});

describe('forum topics as rooms', () => {
  let store: Store;
  let topics: ForumTopics;
  beforeEach(async () => {
    store = await openStore({ engine: 'sqlite', path: ':memory:' });
    topics = new ForumTopics(store.kv);
  });
  afterEach(() => store.close());

  it('a message in a topic moves to the topic’s chat, no longer as a thread of the forum', async () => {
    const [moved] = await topics.route(inTopic(9), [message('9')]);
    expect(moved).toEqual({ kind: 'message', chatId: '-1001/5', id: '9', sender: { id: '7' }, parts: [] });
    expect(parseTopicChatId('-1001/5')).toEqual({ forumChatId: '-1001', threadId: 5 });
  });

  it('a message of the General topic stays in the forum’s chat', async () => {
    const general = { update_id: 3, message: { message_id: 3, date: 1, chat: forum, from, text: 'x' } };
    const events = [message('3')];
    expect(await topics.route(general as unknown as Update, events)).toBe(events);
  });

  it('the topic room is named after the topic, in a space named after the forum, and a rename renames it', async () => {
    await topics.route(inTopic(9), [message('9')]);
    expect(await topics.childChatFor('-1001/5')).toEqual({
      chatId: '-1001/5',
      parentChatId: '-1001',
      kind: 'group',
      name: 'Ideas',
      space: { id: '-1001', name: 'Forum' },
    });
    const rename = inTopic(10, { text: undefined, forum_topic_edited: { name: 'Plans' } });
    await topics.route(rename, []);
    expect(topics.renameEvent(rename)).toEqual({ kind: 'chat-info', chatId: '-1001/5', name: 'Plans' });
    // The name survives a restart (kept in the store).
    expect((await new ForumTopics(store.kv).childChatFor('-1001/5'))?.name).toBe('Plans');
    expect(await topics.childChatFor('-1001')).toBeUndefined();
  });

  it('a renamed forum renames its space, and a space made later starts with the new name', async () => {
    const updated: unknown[] = [];
    const renaming = new ForumTopics(store.kv, (space) => {
      updated.push(space);
      return Promise.resolve(true);
    });
    await renaming.route(inTopic(9), [message('9')]);
    await renaming.forumRenamed('-1001', 'Makers Guild');
    expect(updated).toEqual([{ id: '-1001', name: 'Makers Guild' }]);
    expect((await renaming.childChatFor('-1001/5'))?.space).toEqual({ id: '-1001', name: 'Makers Guild' });
  });

  it('a reaction to a message seen in a topic goes to the topic’s chat', async () => {
    await topics.route(inTopic(9), [message('9')]);
    const reaction: Update = {
      update_id: 11,
      message_reaction: {
        chat: forum,
        message_id: 9,
        user: from,
        date: 1,
        old_reaction: [],
        new_reaction: [{ type: 'emoji', emoji: '👍' }],
      },
    } as unknown as Update;
    const event: RemoteEvent = {
      kind: 'reaction',
      chatId: '-1001',
      targetId: '9',
      sender: { id: '7' },
      key: '👍',
    };
    expect(await topics.route(reaction, [event])).toEqual([{ ...event, chatId: '-1001/5' }]);
    // After a restart (a fresh instance on the same store) the message's topic is still known.
    expect(await new ForumTopics(store.kv).route(reaction, [event])).toEqual([
      { ...event, chatId: '-1001/5' },
    ]);
  });

  it('a topic renamed from Matrix keeps its new name for the rooms and notices that follow', async () => {
    await topics.route(inTopic(9), [message('9')]);
    await topics.renamed('-1001/5', 'Roadmap');
    expect((await new ForumTopics(store.kv).childChatFor('-1001/5'))?.name).toBe('Roadmap');
  });
});
