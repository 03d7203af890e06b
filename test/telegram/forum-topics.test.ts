/**
 * Forum topics as rooms in a space (`forum_topics: rooms`), end to end: a real Synapse, the bridge as its
 * own process, the Bot API simulator and a matrix-js-sdk user. Each topic of a linked forum supergroup
 * becomes its own room, with the portal room's people, inside a space for the forum that also holds the
 * portal room. Needs `npx tsc -b` first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MatrixTestUser,
  type BridgeWorld,
  type MatrixTimelineEvent,
  type TelegramSimulator,
} from '@trestle/testkit';
import { startForumWorld, stopForumWorld, type ForumWorld } from './forum-world';
import { makeRoomAdmin } from './room-admin';

type Message = ReturnType<TelegramSimulator['messages']>[number];
type User = ReturnType<TelegramSimulator['addUser']>;

let sim: TelegramSimulator;
let world: BridgeWorld;
let alice: MatrixTestUser;
let bob: User;
let forum: number;
/** The forum's portal room (its General topic). */
let forumRoom: string;

const textOf = (m: Message) => ('text' in m ? m.text : '');
const fromGhost = (e: MatrixTimelineEvent) => e.sender.startsWith('@telegram_');
const ghostText = (body: string) => (e: MatrixTimelineEvent) =>
  fromGhost(e) && e.type === 'm.room.message' && e.content.body === body;
const relation = (e: MatrixTimelineEvent) => (e.content['m.relates_to'] ?? {}) as Record<string, unknown>;
const topicRenamedTo = (m: Message) =>
  (m as { forum_topic_edited?: { name?: string } }).forum_topic_edited?.name;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Alice's invitation to the room of the topic named `name`, accepted. */
async function topicRoom(name: string): Promise<string> {
  const invite = await alice.waitForInvite((i) =>
    i.state.some((s) => s.type === 'm.room.name' && s.content.name === name),
  );
  return alice.joinRoom(invite.room_id);
}

const started: Partial<ForumWorld> = {};

beforeAll(async () => {
  ({ sim, world, alice, bob, forum, forumRoom } = await startForumWorld(started, 'rooms'));
}, 180_000);

afterAll(() => stopForumWorld(started));

describe('forum topics as rooms in a space', () => {
  let ideas: number;
  let ideasRoom: string;

  it('a new topic becomes its own room, named after it, with the portal room’s people invited', async () => {
    ideas = sim.createForumTopic(forum, 'Ideas', bob.id);
    sim.asUser(bob.id).send(forum, 'first idea', { threadId: ideas });
    ideasRoom = await topicRoom('Ideas');
    await alice.waitForEvent(ideasRoom, (e) => String(e.content.body).includes('New topic: Ideas'));
    const first = await alice.waitForEvent(ideasRoom, ghostText('first idea'));
    // In its own room, a topic message is an ordinary message, not a thread reply.
    expect(relation(first)).toEqual({});
    expect(alice.timeline(forumRoom).some(ghostText('first idea'))).toBe(false);
  });

  it('the topic room and the forum’s portal room are both in a space named after the forum', async () => {
    const parent = await alice.waitForEvent(ideasRoom, (e) => e.type === 'm.space.parent');
    const space = await alice.joinRoom(parent.state_key!);
    expect(await alice.getState(space, 'm.room.create')).toMatchObject({ type: 'm.space' });
    expect(await alice.getState(space, 'm.room.name')).toMatchObject({ name: 'Makers' });
    expect(await alice.getState(space, 'm.space.child', ideasRoom)).toMatchObject({ via: expect.any(Array) });
    expect(await alice.getState(space, 'm.space.child', forumRoom)).toMatchObject({ via: expect.any(Array) });
  });

  it('someone who joins the forum’s room later may join the topic rooms too', async () => {
    const dan = await MatrixTestUser.register(world.synapse, 'dan', { displayName: 'Dan' });
    try {
      await dan.joinRoom(forumRoom);
      await expect(dan.joinRoom(ideasRoom)).resolves.toBe(ideasRoom);
    } finally {
      await dan.stop();
    }
  });

  it('a Matrix message in the topic room is posted in the topic on Telegram', async () => {
    await alice.sendText(ideasRoom, 'a Matrix idea');
    const posted = await sim.waitForMessage(forum, (m) => textOf(m).endsWith('a Matrix idea'), 10_000);
    expect(posted).toMatchObject({ message_thread_id: ideas, is_topic_message: true });
    expect(textOf(posted)).toBe('Alice: a Matrix idea');
  });

  it('messages of the General topic stay in the portal room, and its Matrix messages go there', async () => {
    sim.asUser(bob.id).send(forum, 'general chatter');
    await alice.waitForEvent(forumRoom, ghostText('general chatter'));
    await alice.sendText(forumRoom, 'general answer');
    const posted = await sim.waitForMessage(forum, (m) => textOf(m).endsWith('general answer'), 10_000);
    expect(posted.message_thread_id).toBeUndefined();
  });

  it('renaming the topic renames its room; closing and reopening it are announced there', async () => {
    sim.editForumTopic(forum, ideas, 'Plans', bob.id);
    await alice.waitForEvent(ideasRoom, (e) => e.type === 'm.room.name' && e.content.name === 'Plans');
    await alice.waitForEvent(ideasRoom, (e) => String(e.content.body).includes('Topic renamed to: Plans'));
    sim.closeForumTopic(forum, ideas, bob.id);
    await alice.waitForEvent(ideasRoom, (e) => e.content.body === '🔒 The topic was closed.');
    sim.reopenForumTopic(forum, ideas, bob.id);
    await alice.waitForEvent(ideasRoom, (e) => e.content.body === '🔓 The topic was reopened.');
  });

  it('a reply and a reaction on Telegram in a topic relate to the bridged event in the topic room', async () => {
    const original = sim.asUser(bob.id).send(forum, 'react to me', { threadId: ideas });
    const bridged = await alice.waitForEvent(ideasRoom, ghostText('react to me'));
    sim.asUser(bob.id).send(forum, 'a reply', { threadId: ideas, replyTo: original.message_id });
    const reply = await alice.waitForEvent(ideasRoom, ghostText('a reply'));
    expect(relation(reply)).toMatchObject({ 'm.in_reply_to': { event_id: bridged.event_id } });
    sim.asUser(bob.id).react(forum, original.message_id, ['👍']);
    const reaction = await alice.waitForEvent(ideasRoom, (e) => e.type === 'm.reaction');
    expect(relation(reaction)).toMatchObject({ event_id: bridged.event_id, key: '👍' });
  });

  it('renaming the topic room on Matrix renames the topic on Telegram, and nothing echoes back', async () => {
    await makeRoomAdmin(world, ideasRoom, alice.userId);
    await alice.client.setRoomName(ideasRoom, 'Roadmap');
    const edited = await sim.waitForMessage(forum, (m) => topicRenamedTo(m) === 'Roadmap', 15_000);
    expect(edited.message_thread_id).toBe(ideas);
    await sleep(1500);
    expect(await alice.getState(ideasRoom, 'm.room.name')).toMatchObject({ name: 'Roadmap' });
    const renames = alice.timeline(ideasRoom).filter((e) => e.type === 'm.room.name');
    expect(renames.filter((e) => e.content.name === 'Roadmap')).toHaveLength(1);
    expect(
      alice.timeline(ideasRoom).some((e) => String(e.content.body).includes('renamed to: Roadmap')),
    ).toBe(false);
  });

  it('a rename from Matrix without the bot’s "Manage topics" right is answered in the room with the fix', async () => {
    sim.setBotManagesTopics(forum, false);
    try {
      await alice.client.setRoomName(ideasRoom, 'Refused');
      const notice = await alice.waitForEvent(ideasRoom, (e) =>
        String(e.content.body).includes('could not be renamed on Telegram'),
      );
      expect(String(notice.content.body)).toContain('"Manage topics"');
      expect(sim.messages(forum).some((m) => topicRenamedTo(m) === 'Refused')).toBe(false);
    } finally {
      sim.setBotManagesTopics(forum, true);
    }
  });

  it('typing in a topic room shows "typing…" in that topic', async () => {
    await alice.client.sendTyping(ideasRoom, true, 5000);
    await sim.waitFor(() =>
      sim.chatActions.some((a) => a.chatId === forum && a.action === 'typing' && a.threadId === ideas),
    );
    await alice.client.sendTyping(ideasRoom, false, 0);
  });

  it('after a bridge restart, a reaction to an older topic message still lands in the topic room', async () => {
    const older = sim.asUser(bob.id).send(forum, 'from before the restart', { threadId: ideas });
    const bridged = await alice.waitForEvent(ideasRoom, ghostText('from before the restart'));
    await world.stopBridge('SIGTERM');
    await world.startBridge();
    sim.asUser(bob.id).react(forum, older.message_id, ['🔥']);
    const reaction = await alice.waitForEvent(
      ideasRoom,
      (e) => e.type === 'm.reaction' && relation(e).key === '🔥',
      30_000,
    );
    expect(relation(reaction)).toMatchObject({ event_id: bridged.event_id });
  }, 60_000);
});
