/**
 * The Discord bridge end to end, beyond the main suite: catch-up of thread messages (and of edits,
 * deletions and reactions in threads) after downtime,
 * Discord's limit of 2 channel renames per 10 minutes, and guild renames reaching the Matrix space.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DISCORD_CHANNEL_EDIT_LIMIT,
  eventually,
  type DiscordMessageRecord,
  type MatrixTestUser,
  type MatrixTimelineEvent,
} from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';
import { plumbedRoom } from './plumbing';
import {
  byWebhook,
  ghostMessage,
  inThread,
  relation,
  startAliceInGeneral,
  stopAliceInGeneral,
  waitForCaughtUpChanges,
} from './alice-in-general';

let w: DiscordBridgeWorld;
let alice: MatrixTestUser;
let roomId: string;

const botNotice = (text: string) => (e: MatrixTimelineEvent) =>
  e.sender === w.world.botUserId && e.content.msgtype === 'm.notice' && String(e.content.body).includes(text);

beforeAll(async () => {
  ({ w, alice, roomId } = await startAliceInGeneral());
}, 180_000);

afterAll(() => stopAliceInGeneral(w, alice));

describe('catch-up after downtime', () => {
  it('messages posted in an existing thread and in a thread started meanwhile reach Matrix in order, once, in their threads', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const oldStarter = dana.send(w.general.id, 'old thread starter');
    const oldStarterEv = await alice.waitForEvent(roomId, ghostMessage('old thread starter'));
    const oldThread = dana.startThread(w.general.id, oldStarter.id, 'Old thread');
    dana.send(oldThread.id, 'old thread, before the downtime');
    await alice.waitForEvent(roomId, ghostMessage('old thread, before the downtime'));
    await w.world.stopBridge();

    const missed = [
      'old thread, missed 1',
      'new thread starter',
      'new thread, missed 1',
      'old thread, missed 2',
      'new thread, missed 2',
    ];
    dana.send(oldThread.id, missed[0]!);
    const newStarter = dana.send(w.general.id, missed[1]!);
    const newThread = dana.startThread(w.general.id, newStarter.id, 'New thread');
    dana.send(newThread.id, missed[2]!);
    dana.send(oldThread.id, missed[3]!);
    dana.send(newThread.id, missed[4]!);
    await w.world.startBridge();

    await alice.waitForEvent(roomId, ghostMessage('new thread, missed 2'), 30_000);
    // A second copy of anything would arrive right behind the first.
    await new Promise((r) => setTimeout(r, 1000));
    const arrived = alice.timeline(roomId).filter((e) => missed.some((body) => ghostMessage(body)(e)));
    expect(arrived.map((e) => e.content.body)).toEqual(missed);
    const [old1, starter, new1, old2, new2] = arrived;
    for (const e of [old1!, old2!])
      expect(relation(e)).toMatchObject({ rel_type: 'm.thread', event_id: oldStarterEv.event_id });
    expect(relation(starter!).rel_type).toBeUndefined();
    for (const e of [new1!, new2!])
      expect(relation(e)).toMatchObject({ rel_type: 'm.thread', event_id: starter!.event_id });
  }, 90_000);

  it('edits, deletions and reactions made in a thread while the bridge was down reach Matrix', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const starter = dana.send(w.general.id, 'changes thread starter');
    const starterEv = await alice.waitForEvent(roomId, ghostMessage('changes thread starter'));
    const thread = dana.startThread(w.general.id, starter.id, 'Changes thread');
    const [toEdit, toDelete, toReact] = [
      'edit me in the thread',
      'delete me in the thread',
      'react in the thread',
    ].map((text) => dana.send(thread.id, text)) as [
      DiscordMessageRecord,
      DiscordMessageRecord,
      DiscordMessageRecord,
    ];
    const editEv = await alice.waitForEvent(roomId, ghostMessage('edit me in the thread'));
    const deleteEv = await alice.waitForEvent(roomId, ghostMessage('delete me in the thread'));
    const reactEv = await alice.waitForEvent(roomId, ghostMessage('react in the thread'));
    const mine = await alice.sendEvent(
      roomId,
      'm.room.message',
      inThread(starterEv.event_id, 'alice in the thread, deleted by a moderator'),
    );
    const remote = await w.sim.waitForMessage(thread.id, byWebhook('deleted by a moderator'));
    await w.world.stopBridge();

    dana.edit(thread.id, toEdit.id, 'edited in the thread while the bridge was down');
    dana.delete(thread.id, toDelete.id);
    dana.react(thread.id, toReact.id, '🧵');
    w.sim.deleteMessage(thread.id, remote.id);
    await w.world.startBridge();

    await waitForCaughtUpChanges(alice, roomId, {
      edited: [editEv.event_id, 'edited in the thread while the bridge was down'],
      reacted: [reactEv.event_id, '🧵'],
      redacted: [deleteEv.event_id, mine],
    });
  }, 90_000);
});

describe("Discord's limit of 2 channel renames per 10 minutes", () => {
  it('a third rename from Matrix within the window is refused with a notice, and the channel keeps the second name', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'often-renamed' });
    const room = await plumbedRoom(w, alice, channel.id, 'Often renamed');
    await alice.client.setRoomName(room, 'First name');
    await eventually(async () => w.sim.channel(channel.id)!.name === 'first-name', 'the first rename');
    await alice.client.setRoomName(room, 'Second name');
    await eventually(async () => w.sim.channel(channel.id)!.name === 'second-name', 'the second rename');
    const { event_id: third } = await alice.client.setRoomName(room, 'Third name');

    const notice = await alice.waitForEvent(room, botNotice('only twice in 10 minutes'));
    expect(relation(notice)).toMatchObject({ 'm.in_reply_to': { event_id: third } });
    expect(String(notice.content.body)).toMatch(/#second-name keeps its name; try again in about 10 minutes/);
    expect(w.sim.channel(channel.id)!.name).toBe('second-name');
    // The refused rename does not hold up the room's messages.
    await alice.sendText(room, 'after the refused rename');
    await w.sim.waitForMessage(channel.id, byWebhook('after the refused rename'));
    expect(w.sim.channel(channel.id)!.name).toBe('second-name');
  }, 60_000);

  it('a rename over the limit is waited out when Discord asks for only a short wait', async () => {
    w.sim.setChannelEditLimit({ edits: 2, windowMs: 4000 });
    try {
      const channel = w.sim.createChannel(w.guild.id, { name: 'quickly-renamed' });
      const room = await plumbedRoom(w, alice, channel.id, 'Quickly renamed');
      const patches = () => w.sim.restCalls('PATCH /channels/:channel_id');
      const before = patches();
      for (const name of ['Name one', 'Name two', 'Name three']) await alice.client.setRoomName(room, name);
      await eventually(
        async () => w.sim.channel(channel.id)!.name === 'name-three',
        'the third rename',
        20_000,
      );
      // Four requests for three renames: the third was refused once, then sent again after the wait.
      expect(patches() - before).toBe(4);
      expect(alice.timeline(room).filter(botNotice('could not be delivered'))).toEqual([]);
    } finally {
      w.sim.setChannelEditLimit(DISCORD_CHANNEL_EDIT_LIMIT);
    }
  }, 60_000);
});

describe('guild renames', () => {
  /** A plumbed room in the guild, named by its owner. */
  let plumbed: string;

  it("a guild renamed on Discord renames its Matrix space (its description becomes the topic), and the server name in its portals' names", async () => {
    const parent = await alice.waitForEvent(roomId, (e) => e.type === 'm.space.parent');
    const space = await alice.joinRoom(parent.state_key!);
    plumbed = await plumbedRoom(
      w,
      alice,
      w.sim.createChannel(w.guild.id, { name: 'plumbed-here' }).id,
      'Named on Matrix',
    );
    w.sim.updateGuild(w.guild.id, { name: 'Renamed Guild', description: 'Where Trestle is built' });
    await alice.waitForEvent(space, (e) => e.type === 'm.room.name' && e.content.name === 'Renamed Guild');
    await alice.waitForEvent(
      space,
      (e) => e.type === 'm.room.topic' && e.content.topic === 'Where Trestle is built',
    );
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.name' && e.content.name === 'general (Renamed Guild)',
    );
    // A room its owner named keeps its name (its channel's update is handled alongside general's).
    await new Promise((r) => setTimeout(r, 500));
    expect(await alice.getState(plumbed, 'm.room.name')).toEqual({ name: 'Named on Matrix' });
  });

  it("a guild renamed while the bridge was down renames its space and its portals' names when the bridge is back", async () => {
    const parent = await alice.waitForEvent(roomId, (e) => e.type === 'm.space.parent');
    const space = await alice.joinRoom(parent.state_key!);
    await w.world.stopBridge();
    w.sim.updateGuild(w.guild.id, { name: 'Renamed While Away' });
    await w.world.startBridge();
    await alice.waitForEvent(
      space,
      (e) => e.type === 'm.room.name' && e.content.name === 'Renamed While Away',
      30_000,
    );
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.name' && e.content.name === 'general (Renamed While Away)',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await alice.getState(plumbed, 'm.room.name')).toEqual({ name: 'Named on Matrix' });
  }, 60_000);
});
