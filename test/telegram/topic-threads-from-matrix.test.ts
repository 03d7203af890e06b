/**
 * Topics and group titles changed from Matrix with the default `forum_topics: threads`, end to end: a real
 * Synapse, the bridge as its own process, the Bot API simulator and a matrix-js-sdk user. `!telegram topic
 * <name>` opens a topic whose creation notice is the root of its Matrix thread in the portal room; in a
 * group without topics the room is told why nothing happened; renaming an ordinary group's room renames
 * the group. Needs `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatrixTimelineEvent, TelegramSimulator } from '@trestle/testkit';
import { startForumWorld, stopForumWorld, type ForumWorld } from './forum-world';
import { makeRoomAdmin } from './room-admin';

type Message = ReturnType<TelegramSimulator['messages']>[number];
type ServiceMessage = Message & { forum_topic_created?: { name: string }; new_chat_title?: string };

let group: number;
let groupRoom: string;

const textOf = (m: Message) => ('text' in m ? m.text : '');
const bodyOf = (e: MatrixTimelineEvent) => String(e.content.body ?? '');
const relation = (e: MatrixTimelineEvent) => (e.content['m.relates_to'] ?? {}) as Record<string, unknown>;
const botAnswer = (fragment: string) => (e: MatrixTimelineEvent) =>
  e.sender === w.world.botUserId && bodyOf(e).includes(fragment);

let w: ForumWorld;
const started: Partial<ForumWorld> = {};

beforeAll(async () => {
  w = await startForumWorld(started, 'threads', (simulator, bobUser) => {
    group = simulator.createChat({
      type: 'group',
      title: 'Book club',
      members: [bobUser.id],
      bot: 'administrator',
    }).id;
  });
  groupRoom = await w.alice.joinRoom(`#telegram_${group}:${w.world.synapse.serverName}`);
}, 180_000);

afterAll(() => stopForumWorld(started));

describe('topics opened from Matrix, as threads', () => {
  it('`!telegram topic` opens the topic; its creation notice is the root of the topic’s thread', async () => {
    await w.alice.sendText(w.forumRoom, '!telegram topic Reading list');
    await w.alice.waitForEvent(w.forumRoom, botAnswer('Opened the topic "Reading list"'), 15_000);
    const created = await w.sim.waitForMessage(
      w.forum,
      (m) => (m as ServiceMessage).forum_topic_created?.name === 'Reading list',
      10_000,
    );
    const root = await w.alice.waitForEvent(w.forumRoom, (e) => bodyOf(e) === '🗂️ New topic: Reading list');
    expect(root.content.msgtype).toBe('m.notice');

    w.sim.asUser(w.bob.id).send(w.forum, 'Dune first', { threadId: created.message_id });
    const reply = await w.alice.waitForEvent(w.forumRoom, (e) => bodyOf(e) === 'Dune first');
    expect(relation(reply)).toMatchObject({ rel_type: 'm.thread', event_id: root.event_id });

    await w.alice.sendEvent(w.forumRoom, 'm.room.message', {
      msgtype: 'm.text',
      body: 'then Hyperion',
      'm.relates_to': {
        rel_type: 'm.thread',
        event_id: root.event_id,
        is_falling_back: true,
        'm.in_reply_to': { event_id: reply.event_id },
      },
    });
    const posted = await w.sim.waitForMessage(w.forum, (m) => textOf(m).endsWith('then Hyperion'), 10_000);
    expect(posted).toMatchObject({ message_thread_id: created.message_id, is_topic_message: true });
  });

  it('in a group without topics, the room is told why no topic was opened', async () => {
    await w.alice.sendText(groupRoom, '!telegram topic Nope');
    const notice = await w.alice.waitForEvent(groupRoom, (e) =>
      bodyOf(e).includes('The topic could not be opened on Telegram'),
    );
    expect(bodyOf(notice)).toContain('not a forum');
  });
});

describe('an ordinary group’s title', () => {
  it('renaming the group’s room renames the group on Telegram, without an echo', async () => {
    await makeRoomAdmin(w.world, groupRoom, w.alice.userId);
    await w.alice.client.setRoomName(groupRoom, 'Book club (Fridays)');
    await w.sim.waitForMessage(
      group,
      (m) => (m as ServiceMessage).new_chat_title === 'Book club (Fridays)',
      15_000,
    );
    await new Promise((done) => setTimeout(done, 1500));
    expect(
      w.alice.timeline(groupRoom).some((e) => bodyOf(e).includes('renamed to: Book club (Fridays)')),
    ).toBe(false);
  });
});
