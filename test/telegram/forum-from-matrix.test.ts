/**
 * A forum supergroup changed from Matrix (`forum_topics: rooms`), end to end: a real Synapse, the bridge as
 * its own process, the Bot API simulator and a matrix-js-sdk user. A Matrix user opens a new topic with
 * `!telegram topic <name>` (its room appears in the forum's space and they are invited), and renaming the
 * forum's portal room or changing its topic renames the Telegram group (and the forum's space) or sets its
 * description, without the change echoing back; a rename on Telegram renames the room and the space. Without the admin right each needs, the room is told the fix. Needs
 * `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatrixTimelineEvent, TelegramSimulator } from '@trestle/testkit';
import { startForumWorld, stopForumWorld, type ForumWorld } from './forum-world';
import { makeRoomAdmin } from './room-admin';

type Message = ReturnType<TelegramSimulator['messages']>[number];
type ServiceMessage = Message & { forum_topic_created?: { name: string }; new_chat_title?: string };

const textOf = (m: Message) => ('text' in m ? m.text : '');
const bodyOf = (e: MatrixTimelineEvent) => String(e.content.body ?? '');
const createdTopic = (name: string) => (m: Message) =>
  (m as ServiceMessage).forum_topic_created?.name === name;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Alice runs a bridge command in a room and gets the bot's answer that contains `fragment`. */
async function command(roomId: string, text: string, fragment: string): Promise<MatrixTimelineEvent> {
  await w.alice.sendText(roomId, text);
  return w.alice.waitForEvent(
    roomId,
    (e) => e.sender === w.world.botUserId && bodyOf(e).includes(fragment),
    15_000,
  );
}

let w: ForumWorld;
/** The forum's space, once the first topic room made it. */
let space: string;
const started: Partial<ForumWorld> = {};

beforeAll(async () => {
  w = await startForumWorld(started, 'rooms');
  await makeRoomAdmin(w.world, w.forumRoom, w.alice.userId);
}, 180_000);

afterAll(() => stopForumWorld(started));

describe('a Matrix user opens a forum topic', () => {
  it('`!telegram topic` opens the topic on Telegram; its room appears in the space with Alice invited', async () => {
    await command(w.forumRoom, '!telegram topic Launch plans', 'Opened the topic "Launch plans"');
    const created = await w.sim.waitForMessage(w.forum, createdTopic('Launch plans'), 10_000);
    expect(created).toMatchObject({ from: { id: w.sim.bot.id }, is_topic_message: true });
    const invite = await w.alice.waitForInvite((i) =>
      i.state.some((s) => s.type === 'm.room.name' && s.content.name === 'Launch plans'),
    );
    const topicRoom = await w.alice.joinRoom(invite.room_id);
    const parent = await w.alice.waitForEvent(topicRoom, (e) => e.type === 'm.space.parent');
    space = await w.alice.joinRoom(parent.state_key!);
    expect(await w.alice.getState(space, 'm.room.name')).toEqual({ name: 'Makers' });
    expect(await w.alice.getState(space, 'm.space.child', topicRoom)).toMatchObject({
      via: expect.any(Array),
    });
    expect(await w.alice.getState(space, 'm.space.child', w.forumRoom)).toMatchObject({
      via: expect.any(Array),
    });

    // The new room is the topic, both ways.
    await w.alice.sendText(topicRoom, 'kick-off on Monday');
    const posted = await w.sim.waitForMessage(
      w.forum,
      (m) => textOf(m).endsWith('kick-off on Monday'),
      10_000,
    );
    expect(posted).toMatchObject({ message_thread_id: created.message_id });
    w.sim.asUser(w.bob.id).send(w.forum, 'count me in', { threadId: created.message_id });
    await w.alice.waitForEvent(
      topicRoom,
      (e) => e.sender.startsWith('@telegram_') && bodyOf(e) === 'count me in',
    );
  });

  it('without the bot’s "Manage topics" right, the room is told the fix and no topic is opened', async () => {
    w.sim.setBotManagesTopics(w.forum, false);
    try {
      const notice = await command(w.forumRoom, '!telegram topic Refused', 'could not be opened on Telegram');
      expect(bodyOf(notice)).toContain('"Manage topics"');
      expect(bodyOf(notice)).toContain(`@${w.sim.bot.username}`);
      expect(w.sim.messages(w.forum).some(createdTopic('Refused'))).toBe(false);
    } finally {
      w.sim.setBotManagesTopics(w.forum, true);
    }
  });

  it('a topic name is required', async () => {
    await command(w.forumRoom, '!telegram topic', 'Usage: topic <name>');
  });
});

describe('the forum’s own room and the Telegram group', () => {
  it('renaming the forum’s room renames the group on Telegram and its space, and nothing echoes back', async () => {
    await w.alice.client.setRoomName(w.forumRoom, 'Makers & Friends');
    const renamed = await w.sim.waitForMessage(
      w.forum,
      (m) => (m as ServiceMessage).new_chat_title === 'Makers & Friends',
      15_000,
    );
    expect(renamed.from?.id).toBe(w.sim.bot.id);
    await w.alice.waitForEvent(
      space,
      (e) => e.type === 'm.room.name' && e.content.name === 'Makers & Friends',
    );
    // Telegram sends the bot its own rename back; give it time to (not) arrive in Matrix.
    await sleep(1500);
    const names = w.alice.timeline(w.forumRoom).filter((e) => e.type === 'm.room.name');
    expect(names.filter((e) => e.content.name === 'Makers & Friends')).toHaveLength(1);
    expect(
      w.alice.timeline(w.forumRoom).some((e) => bodyOf(e).includes('renamed to: Makers & Friends')),
    ).toBe(false);
  });

  it('without the bot’s "Change group info" right, the room is told the fix', async () => {
    w.sim.setBotChangesInfo(w.forum, false);
    try {
      await w.alice.client.setRoomName(w.forumRoom, 'Not on Telegram');
      const notice = await w.alice.waitForEvent(w.forumRoom, (e) =>
        bodyOf(e).includes('The group could not be renamed on Telegram'),
      );
      expect(bodyOf(notice)).toContain(`Fix: make @${w.sim.bot.username} an admin of the group`);
      expect(bodyOf(notice)).toContain('"Change group info"');
      expect(
        w.sim.messages(w.forum).some((m) => (m as ServiceMessage).new_chat_title === 'Not on Telegram'),
      ).toBe(false);
      // The space is named after the group, which kept its name.
      expect(await w.alice.getState(space, 'm.room.name')).toEqual({ name: 'Makers & Friends' });
    } finally {
      w.sim.setBotChangesInfo(w.forum, true);
    }
  });

  it('a rename on Telegram renames the room and the space, with a notice saying who renamed it', async () => {
    w.sim.setChatTitle(w.forum, 'Makers Guild', w.bob.id);
    await w.alice.waitForEvent(
      w.forumRoom,
      (e) => e.type === 'm.room.name' && e.content.name === 'Makers Guild',
    );
    const notice = await w.alice.waitForEvent(
      w.forumRoom,
      (e) => bodyOf(e) === '✏️ Group renamed to: Makers Guild',
    );
    expect(notice.sender).toBe(`@telegram_${w.bob.id}:${w.world.synapse.serverName}`);
    await w.alice.waitForEvent(space, (e) => e.type === 'm.room.name' && e.content.name === 'Makers Guild');
  });

  it('the room topic becomes the group’s description on Telegram', async () => {
    await w.alice.client.setRoomTopic(w.forumRoom, 'We build things together');
    await w.sim.waitFor(() => w.sim.chatDescription(w.forum) === 'We build things together', 15_000);
  });
});
