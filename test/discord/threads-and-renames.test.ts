/**
 * The Discord bridge end to end, beyond the main suite: catch-up of thread messages (and of edits,
 * deletions and reactions in threads) after downtime, also in threads Discord archived meanwhile,
 * Discord's limit of 2 channel renames per 10 minutes (a refused rename is made later), and guild
 * renames reaching the Matrix space.
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

/**
 * Wait (30 s, as the bridge is starting) until the last of `bodies` came from a ghost; then, as a
 * second copy of anything would arrive right behind the first, check each came once and in order.
 */
async function caughtUpOnceInOrder(bodies: string[]): Promise<MatrixTimelineEvent[]> {
  await alice.waitForEvent(roomId, ghostMessage(bodies.at(-1)!), 30_000);
  await new Promise((r) => setTimeout(r, 1000));
  const arrived = alice.timeline(roomId).filter((e) => bodies.some((body) => ghostMessage(body)(e)));
  expect(arrived.map((e) => e.content.body)).toEqual(bodies);
  return arrived;
}

/** Every event is an `m.thread` reply under `rootEventId`. */
function expectInThread(events: MatrixTimelineEvent[], rootEventId: string): void {
  for (const e of events) expect(relation(e)).toMatchObject({ rel_type: 'm.thread', event_id: rootEventId });
}

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

    const [old1, starter, new1, old2, new2] = await caughtUpOnceInOrder(missed);
    expectInThread([old1!, old2!], oldStarterEv.event_id);
    expect(relation(starter!).rel_type).toBeUndefined();
    expectInThread([new1!, new2!], starter!.event_id);
  }, 90_000);

  it('messages posted in threads that Discord archived while the bridge was down reach Matrix in order, once, in their threads', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const starter = dana.send(w.general.id, 'archived thread starter');
    const starterEv = await alice.waitForEvent(roomId, ghostMessage('archived thread starter'));
    const thread = dana.startThread(w.general.id, starter.id, 'Archived meanwhile');
    const early = dana.send(thread.id, 'archived thread, before the downtime');
    const earlyEv = await alice.waitForEvent(roomId, ghostMessage('archived thread, before the downtime'));
    await w.world.stopBridge();

    const missed = [
      'archived thread, missed 1',
      'starter of a thread started and archived meanwhile',
      'thread started and archived meanwhile, missed',
      'archived thread, missed 2',
    ];
    dana.send(thread.id, missed[0]!);
    const newStarter = dana.send(w.general.id, missed[1]!);
    const newThread = dana.startThread(w.general.id, newStarter.id, 'Started and archived meanwhile');
    dana.send(newThread.id, missed[2]!);
    dana.send(thread.id, missed[3]!);
    dana.edit(thread.id, early.id, 'archived thread, edited while the bridge was down');
    w.sim.archiveThread(thread.id);
    w.sim.archiveThread(newThread.id);
    await w.world.startBridge();

    const [old1, newStarterEv, new1, old2] = await caughtUpOnceInOrder(missed);
    expectInThread([old1!, old2!], starterEv.event_id);
    expectInThread([new1!], newStarterEv!.event_id);
    await alice.waitForEvent(
      roomId,
      (e) =>
        relation(e).rel_type === 'm.replace' &&
        relation(e).event_id === earlyEv.event_id &&
        (e.content['m.new_content'] as { body?: string }).body ===
          'archived thread, edited while the bridge was down',
    );
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
  it('messages caught up after downtime show their author and the members they mention under their guild nicknames', async () => {
    const erin = w.sim.addMember(w.guild.id, {
      username: 'erin',
      globalName: 'Erin G.',
      nick: 'Erin the Nick',
    });
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.member' && e.state_key === w.ghostOf(erin) && e.content.membership === 'join',
    );
    await w.world.stopBridge();
    // Read over REST after the restart, the message carries no member objects, and the bridge's
    // member cache starts empty: Discord's GUILD_CREATE names nobody but the bot.
    w.sim.asUser(w.dana.id).send(w.general.id, `caught up, hello <@${erin.id}>`);
    await w.world.startBridge();

    const ev = await alice.waitForEvent(roomId, ghostMessage('caught up, hello @Erin the Nick'), 30_000);
    expect(ev.sender).toBe(w.ghostOf(w.dana));
    expect(String(ev.content.formatted_body)).toContain(
      `<a href="https://matrix.to/#/${w.ghostOf(erin)}">@Erin the Nick</a>`,
    );
    expect(await alice.getState(roomId, 'm.room.member', w.ghostOf(w.dana))).toMatchObject({
      displayname: 'Dana on Discord',
    });
  }, 90_000);
});

describe('Matrix changes to messages in threads Discord archived', () => {
  /** A thread of #general with a message of Dana's and one of Alice's, both bridged, then archived. */
  async function archivedThread(name: string, options: { locked?: boolean } = {}) {
    const dana = w.sim.asUser(w.dana.id);
    const starter = dana.send(w.general.id, `${name} starter`);
    const starterEv = await alice.waitForEvent(roomId, ghostMessage(`${name} starter`));
    const thread = dana.startThread(w.general.id, starter.id, name);
    const fromDana = dana.send(thread.id, `dana in ${name}`);
    const fromDanaEv = await alice.waitForEvent(roomId, ghostMessage(`dana in ${name}`));
    const mine = await alice.sendEvent(
      roomId,
      'm.room.message',
      inThread(starterEv.event_id, `alice in ${name}`),
    );
    const remote = await w.sim.waitForMessage(thread.id, byWebhook(`alice in ${name}`));
    w.sim.archiveThread(thread.id, options);
    return { thread, fromDana, fromDanaEv, mine, remote };
  }
  const archived = (threadId: string) => w.sim.channel(threadId)!.thread!.archived;
  /** The bot's notice in reply to the Matrix event `eventId`. */
  const noticeAbout = (eventId: string) => (e: MatrixTimelineEvent) =>
    e.sender === w.world.botUserId &&
    e.content.msgtype === 'm.notice' &&
    (relation(e)['m.in_reply_to'] as { event_id?: string } | undefined)?.event_id === eventId;

  it('an edit, a reaction and taking it back reopen the thread, as Discord takes none of them in an archived one; a deletion is made without reopening it', async () => {
    const { thread, fromDana, fromDanaEv, mine, remote } = await archivedThread('Archived, then edited');
    await alice.sendEdit(roomId, mine, 'alice edited in the archived thread');
    await w.sim.waitForMessage(
      thread.id,
      (m) => m.id === remote.id && m.content === 'alice edited in the archived thread',
      15_000,
    );
    expect(archived(thread.id)).toBe(false);

    const bots = () => w.sim.message(thread.id, fromDana.id)!.reactions.filter((r) => r.emoji.name === '👀');
    w.sim.archiveThread(thread.id);
    const reaction = await alice.react(roomId, fromDanaEv.event_id, '👀');
    await eventually(async () => bots().length === 1, 'the reaction on Discord');
    expect(archived(thread.id)).toBe(false);
    w.sim.archiveThread(thread.id);
    await alice.redact(roomId, reaction);
    await eventually(async () => bots().length === 0, 'the reaction taken back on Discord');
    expect(archived(thread.id)).toBe(false);

    w.sim.archiveThread(thread.id);
    await alice.redact(roomId, mine);
    await eventually(async () => w.sim.message(thread.id, remote.id) === undefined, 'the message deleted');
    expect(archived(thread.id)).toBe(true);
    expect(alice.timeline(roomId).filter(botNotice('could not be delivered'))).toEqual([]);
  }, 60_000);

  it('in a thread a moderator archived and locked, which the bot may not reopen, the room is told why for each change, and Discord is left as it was', async () => {
    const { thread, fromDanaEv, mine, remote } = await archivedThread('Locked', { locked: true });
    const changes = [
      await alice.sendEdit(roomId, mine, 'edited in the locked thread'),
      await alice.react(roomId, fromDanaEv.event_id, '🔒'),
      await alice.redact(roomId, mine),
    ];
    for (const [change, what] of changes.map((id, i) => [id, ['edit', 'reaction', 'deletion'][i]] as const)) {
      const notice = await alice.waitForEvent(roomId, noticeAbout(change));
      expect(String(notice.content.body)).toContain(
        `the Discord thread "Locked" is archived and locked, and the bot may not reopen it (it needs Manage Threads there), so the ${what} was not made on Discord`,
      );
    }
    expect(w.sim.message(thread.id, remote.id)).toMatchObject({ content: 'alice in Locked' });
    expect(w.sim.messages(thread.id).flatMap((m) => m.reactions)).toEqual([]);
    expect(w.sim.channel(thread.id)!.thread).toMatchObject({ archived: true, locked: true });
  }, 60_000);
});

describe("Discord's limit of 2 channel renames per 10 minutes", () => {
  it('a third rename from Matrix within the window waits for it, and the room is told when it will be made', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'often-renamed' });
    const room = await plumbedRoom(w, alice, channel.id, 'Often renamed');
    await alice.client.setRoomName(room, 'First name');
    await eventually(async () => w.sim.channel(channel.id)!.name === 'first-name', 'the first rename');
    await alice.client.setRoomName(room, 'Second name');
    await eventually(async () => w.sim.channel(channel.id)!.name === 'second-name', 'the second rename');
    await alice.client.setRoomName(room, 'Third name');

    const notice = await alice.waitForEvent(room, botNotice('only twice in 10 minutes'));
    expect(String(notice.content.body)).toMatch(
      /#second-name will be renamed to #third-name in about 10 minutes \(at \d\d:\d\d UTC\)/,
    );
    expect(w.sim.channel(channel.id)!.name).toBe('second-name');
    // The waiting rename does not hold up the room's messages, nor is the room renamed back.
    await alice.sendText(room, 'after the refused rename');
    await w.sim.waitForMessage(channel.id, byWebhook('after the refused rename'));
    expect(w.sim.channel(channel.id)!.name).toBe('second-name');
    expect(alice.timeline(room).filter(botNotice('could not be'))).toEqual([]);
    expect(await alice.getState(room, 'm.room.name')).toEqual({ name: 'Third name' });
  }, 60_000);

  it('a refused rename is made once the window has passed, the newest one asked for, also across a restart', async () => {
    w.sim.setChannelEditLimit({ edits: 2, windowMs: 12_000 });
    try {
      const channel = w.sim.createChannel(w.guild.id, { name: 'later-renamed' });
      const room = await plumbedRoom(w, alice, channel.id, 'Later renamed');
      const patches = () => w.sim.restCalls('PATCH /channels/:channel_id');
      await alice.client.setRoomName(room, 'Name A');
      await eventually(async () => w.sim.channel(channel.id)!.name === 'name-a', 'the first rename');
      await alice.client.setRoomName(room, 'Name B');
      await eventually(async () => w.sim.channel(channel.id)!.name === 'name-b', 'the second rename');
      const before = patches();
      await alice.client.setRoomName(room, 'Name C');
      await alice.waitForEvent(room, botNotice('#name-b will be renamed to #name-c in about'));
      await alice.client.setRoomName(room, 'Name D');
      await alice.waitForEvent(room, botNotice('#name-b will be renamed to #name-d in about'));

      await w.world.stopBridge();
      await w.world.startBridge();
      await eventually(
        async () => w.sim.channel(channel.id)!.name === 'name-d',
        'the waiting rename made',
        30_000,
      );
      // Name C was refused once and never made; Name D waited without asking Discord in vain.
      expect(patches() - before).toBe(2);
      await new Promise((r) => setTimeout(r, 500));
      expect(await alice.getState(room, 'm.room.name')).toEqual({ name: 'Name D' });
      expect(alice.timeline(room).filter(botNotice('could not be'))).toEqual([]);
    } finally {
      w.sim.setChannelEditLimit(DISCORD_CHANNEL_EDIT_LIMIT);
    }
  }, 90_000);

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
