/**
 * The Discord bridge end to end: the Discord simulator driven by the real discord.js inside the
 * bridge, a real Synapse, and a matrix-js-sdk user.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MatrixTestUser, MatrixTimelineEvent } from '@trestle/testkit';
import type { DiscordBridgeWorld } from './discord-bridge-world';
import { plumbedRoom, plumbWithApproval } from './plumbing';
import {
  byWebhook,
  fromGhost,
  ghostMessage,
  inThread,
  relation,
  startAliceInGeneral,
  stopAliceInGeneral,
  waitForCaughtUpChanges,
} from './alice-in-general';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db40000000049454e44ae426082',
  'hex',
);

const MANAGE_WEBHOOKS = 1n << 29n;
const MANAGE_CHANNELS = 1n << 4n;

let w: DiscordBridgeWorld;
let alice: MatrixTestUser;
let roomId: string;

beforeAll(async () => {
  ({ w, alice, roomId } = await startAliceInGeneral());
}, 180_000);

afterAll(() => stopAliceInGeneral(w, alice));

describe('portals', () => {
  it('joining #_discord_<guild>_<channel> creates a portal named after the channel with its topic, marked as bridged', async () => {
    expect(await alice.getState(roomId, 'm.room.name')).toEqual({ name: 'general (Trestle Guild)' });
    expect(await alice.getState(roomId, 'm.room.topic')).toMatchObject({ topic: 'General chat' });
    const bridgeState = await alice.getState(roomId, 'm.bridge', `trestle://discord/${w.general.id}`);
    expect(bridgeState).toMatchObject({ protocol: { id: 'discord' }, channel: { id: w.general.id } });
  });

  it('portals of a guild are gathered in a Matrix space named after the guild', async () => {
    const parent = await alice.waitForEvent(roomId, (e) => e.type === 'm.space.parent');
    const space = await alice.joinRoom(parent.state_key!);
    expect(await alice.getState(space, 'm.room.name')).toEqual({ name: 'Trestle Guild' });
    expect(await alice.getState(space, 'm.room.create')).toMatchObject({ type: 'm.space' });
    expect(await alice.getState(space, 'm.space.child', roomId)).toMatchObject({ via: [w.domain] });
  });

  it('an alias naming a channel of another guild, or no channel, does not create a room', async () => {
    await expect(alice.joinRoom(`#_discord_${w.guild.id}_123456789012345678:${w.domain}`)).rejects.toThrow();
    await expect(alice.joinRoom(`#_discord_not-a-channel:${w.domain}`)).rejects.toThrow();
  });

  it('a new portal shows the channel members who can see it, with their names', async () => {
    const erin = w.sim.addMember(w.guild.id, { username: 'erin', nick: 'Erin the Early' });
    const channel = w.sim.createChannel(w.guild.id, { name: 'members-shown' });
    const room = await alice.joinRoom(w.aliasOf(channel));
    for (const [user, name] of [
      [erin, 'Erin the Early'],
      [w.dana, 'Dana on Discord'],
    ] as const) {
      await alice.waitForEvent(
        room,
        (e) =>
          e.type === 'm.room.member' &&
          e.state_key === w.ghostOf(user) &&
          e.content.membership === 'join' &&
          e.content.displayname === name,
      );
    }
    expect(
      await alice.getState(room, 'm.room.member', `@_discord_${w.sim.botUserId}:${w.domain}`),
    ).toBeUndefined();
  });

  it('an existing room is plumbed with the link command once someone who may manage the channel approves it on Discord', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'plumbed' });
    const mods = w.sim.createRole(w.guild.id, { name: 'Mods', permissions: MANAGE_WEBHOOKS });
    const mod = w.sim.addMember(w.guild.id, { username: 'mod', roles: [mods.id] });
    const room = await alice.createRoom({ name: 'Existing room' });
    await alice.invite(room, w.world.botUserId);
    await alice.waitForEvent(
      room,
      (e) =>
        e.type === 'm.room.member' && e.state_key === w.world.botUserId && e.content.membership === 'join',
    );
    const botSays = (text: string) => (e: MatrixTimelineEvent) =>
      e.sender === w.world.botUserId && String(e.content.body).includes(text);

    await alice.sendText(room, `!discord link ${channel.id}`);
    const waiting = await alice.waitForEvent(room, botSays('Waiting for approval on Discord'));
    const code = /approve ([A-Z0-9]{6})/.exec(String(waiting.content.body))![1]!;
    const request = w.sim.messages(channel.id).find((m) => m.content.includes(`!matrix approve ${code}`));
    expect(request?.content).toContain('@alice:');

    w.sim.asUser(w.dana.id).send(channel.id, `!matrix approve ${code}`);
    await w.sim.waitForMessage(channel.id, (m) => m.content.startsWith('Only someone with Manage Webhooks'));
    await alice.sendText(room, `!discord link ${channel.id}`);
    await alice.waitForEvent(room, (e) => botSays(`approve ${code}`)(e) && e.event_id !== waiting.event_id);

    w.sim.asUser(mod.id).send(channel.id, `!matrix approve ${code}`);
    await w.sim.waitForMessage(channel.id, (m) => m.content.startsWith('Approved.'));
    await alice.sendText(room, `!discord link ${channel.id}`);
    await alice.waitForEvent(room, botSays('now bridged'));

    await alice.sendText(room, 'hello plumbed channel');
    const onDiscord = await w.sim.waitForMessage(channel.id, byWebhook('hello plumbed channel'));
    expect(onDiscord.webhook!.username).toBe('Alice (Matrix)');
    w.sim.asUser(w.dana.id).send(channel.id, 'hi from the plumbed channel');
    await alice.waitForEvent(room, ghostMessage('hi from the plumbed channel'));
  });

  it('linking a channel the bot may not manage webhooks in is refused with the reason', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'locked' });
    w.sim.denyBot(channel.id, MANAGE_WEBHOOKS);
    const room = await alice.createRoom({ name: 'Locked room' });
    await alice.invite(room, w.world.botUserId);
    await alice.waitForEvent(
      room,
      (e) =>
        e.type === 'm.room.member' && e.state_key === w.world.botUserId && e.content.membership === 'join',
    );
    await alice.sendText(room, `!discord link ${channel.id}`);
    const reply = await alice.waitForEvent(
      room,
      (e) => e.sender === w.world.botUserId && String(e.content.body).includes('Manage Webhooks'),
    );
    expect(String(reply.content.body)).toContain('#locked');
  });
});

describe('Discord -> Matrix', () => {
  it('a Discord message comes from a ghost with the member nickname and avatar, formatting as HTML', async () => {
    w.sim.asUser(w.dana.id).send(w.general.id, 'hello **bold** *it* __under__ ~~gone~~ ||secret|| `code`');
    const ev = await alice.waitForEvent(
      roomId,
      (e) => fromGhost(e) && String(e.content.body).startsWith('hello'),
    );
    expect(ev.sender).toBe(w.ghostOf(w.dana));
    const html = String(ev.content.formatted_body);
    expect(html).toMatch(/<(strong|b)>bold<\/(strong|b)>/);
    expect(html).toMatch(/<(em|i)>it<\/(em|i)>/);
    expect(html).toContain('<u>under</u>');
    expect(html).toMatch(/<(del|s)>gone<\/(del|s)>/);
    expect(html).toMatch(/<span data-mx-spoiler[^>]*>secret<\/span>/);
    expect(html).toContain('<code>code</code>');
    const member = await alice.getState(roomId, 'm.room.member', ev.sender);
    expect(member?.displayname).toBe('Dana on Discord');
    expect(String(member?.avatar_url)).toMatch(/^mxc:\/\//);
    expect((await alice.downloadMedia(String(member!.avatar_url))).toString()).toBe('dana-avatar-bytes');
  });

  it('a code block keeps its language and a masked link becomes a link', async () => {
    w.sim
      .asUser(w.dana.id)
      .send(w.general.id, 'see [the docs](https://example.org/docs)\n```ts\nconst x = 1;\n```');
    const ev = await alice.waitForEvent(
      roomId,
      (e) => fromGhost(e) && String(e.content.body).startsWith('see'),
    );
    const html = String(ev.content.formatted_body);
    expect(html).toContain('<a href="https://example.org/docs">the docs</a>');
    expect(html).toMatch(/<pre><code class="language-ts">const x = 1;\n?<\/code><\/pre>/);
  });

  it('replies, edits, reactions and deletions carry the right Matrix relations', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const first = dana.send(w.general.id, 'dana original');
    const firstEv = await alice.waitForEvent(roomId, ghostMessage('dana original'));
    dana.send(w.general.id, 'dana replies', { reply: first.id });
    const reply = await alice.waitForEvent(roomId, ghostMessage('dana replies'));
    expect(relation(reply)).toMatchObject({ 'm.in_reply_to': { event_id: firstEv.event_id } });
    dana.edit(w.general.id, first.id, 'dana edited');
    const edit = await alice.waitForEvent(
      roomId,
      (e) => fromGhost(e) && relation(e).rel_type === 'm.replace',
    );
    expect(relation(edit)).toMatchObject({ event_id: firstEv.event_id });
    expect(edit.content['m.new_content']).toMatchObject({ body: 'dana edited' });
    dana.react(w.general.id, first.id, '🎉');
    const reaction = await alice.waitForEvent(roomId, (e) => fromGhost(e) && e.type === 'm.reaction');
    expect(relation(reaction)).toEqual({ rel_type: 'm.annotation', event_id: firstEv.event_id, key: '🎉' });
    dana.unreact(w.general.id, first.id, '🎉');
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content.redacts) === reaction.event_id,
    );
    dana.delete(w.general.id, first.id);
    await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content.redacts) === firstEv.event_id,
    );
  });

  it('a custom guild emoji reaction becomes an image reaction with its shortcode', async () => {
    const emoji = w.sim.createEmoji(w.guild.id, { name: 'partyparrot', image: PNG });
    const target = w.sim.asUser(w.dana.id).send(w.general.id, 'react with a custom emoji');
    const targetEv = await alice.waitForEvent(roomId, ghostMessage('react with a custom emoji'));
    w.sim.asUser(w.dana.id).react(w.general.id, target.id, `${emoji.name}:${emoji.id}`);
    const reaction = await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.reaction' && relation(e).event_id === targetEv.event_id,
    );
    expect(String(relation(reaction).key)).toMatch(/^mxc:\/\//);
    expect(reaction.content['com.beeper.reaction.shortcode']).toBe(':partyparrot:');
    expect((await alice.downloadMedia(String(relation(reaction).key))).equals(PNG)).toBe(true);
  });

  it('attachments and stickers arrive as Matrix media with the same bytes', async () => {
    const sticker = w.sim.createSticker(w.guild.id, { name: 'wave', image: PNG });
    w.sim.asUser(w.dana.id).send(w.general.id, '', {
      attachments: [{ name: 'dot.png', data: PNG, contentType: 'image/png' }],
      stickerIds: [sticker.id],
    });
    const image = await alice.waitForEvent(roomId, (e) => fromGhost(e) && e.content.msgtype === 'm.image');
    expect(image.content.body).toBe('dot.png');
    expect((await alice.downloadMedia(String(image.content.url))).equals(PNG)).toBe(true);
    const stickerEv = await alice.waitForEvent(roomId, (e) => fromGhost(e) && e.type === 'm.sticker');
    expect(stickerEv.content.body).toBe('wave');
  });

  it('mentions of users, roles and channels become pills or names', async () => {
    const role = w.sim.createRole(w.guild.id, { name: 'Moderators' });
    w.sim.asUser(w.dana.id).send(w.general.id, `ping <@${w.dana.id}> <@&${role.id}> <#${w.general.id}>`);
    const ev = await alice.waitForEvent(
      roomId,
      (e) => fromGhost(e) && String(e.content.body).startsWith('ping'),
    );
    const html = String(ev.content.formatted_body);
    expect(html).toContain(`href="https://matrix.to/#/${w.ghostOf(w.dana)}"`);
    expect(String(ev.content.body)).toContain('@Moderators');
    expect(String(ev.content.body)).toContain('#general');
    expect(ev.content['m.mentions']).toMatchObject({ user_ids: [w.ghostOf(w.dana)] });
  });

  it('a thread on Discord becomes a Matrix thread under the bridged starter message', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const starter = dana.send(w.general.id, 'thread starter');
    const starterEv = await alice.waitForEvent(roomId, ghostMessage('thread starter'));
    const thread = dana.startThread(w.general.id, starter.id, 'A thread');
    dana.send(thread.id, 'inside the thread');
    const threadMessage = await alice.waitForEvent(roomId, ghostMessage('inside the thread'));
    expect(relation(threadMessage)).toMatchObject({ rel_type: 'm.thread', event_id: starterEv.event_id });
  });

  it('typing on Discord shows the ghost typing', async () => {
    const typing = waitForTyping(roomId, w.ghostOf(w.dana));
    w.sim.asUser(w.dana.id).typing(w.general.id);
    await typing;
  });

  it('a channel rename or topic change on Discord updates the room, keeping the server in the name', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'renameme' });
    const room = await alice.joinRoom(w.aliasOf(channel));
    w.sim.updateChannel(channel.id, { name: 'renamed', topic: 'New topic from Discord' });
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.topic' && e.content.topic === 'New topic from Discord',
    );
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.name' && e.content.name === 'renamed (Trestle Guild)',
    );
  });
});

describe('Matrix -> Discord', () => {
  it('a message goes through the channel webhook under the Matrix name, with Discord markdown', async () => {
    await alice.sendHtml(
      roomId,
      'bold and code',
      '<strong>bold</strong> and <code>code</code> <del>x</del> <span data-mx-spoiler>hidden</span>',
    );
    const m = await w.sim.waitForMessage(w.general.id, byWebhook('and `code`'));
    expect(m.content).toBe('**bold** and `code` ~~x~~ ||hidden||');
    expect(m.webhook!.username).toBe('Alice (Matrix)');
    expect(w.sim.webhooks(w.general.id)).toHaveLength(1);
  });

  it('an emote is italic under the sender name', async () => {
    await alice.sendEmote(roomId, 'waves');
    const m = await w.sim.waitForMessage(w.general.id, byWebhook('waves'));
    expect(m.content).toBe('*waves*');
  });

  it('Matrix messages do not come back from Discord (the echo guard)', async () => {
    await alice.sendText(roomId, 'no echo please');
    await w.sim.waitForMessage(w.general.id, byWebhook('no echo please'));
    w.sim.asUser(w.dana.id).send(w.general.id, 'after the echo check');
    await alice.waitForEvent(roomId, ghostMessage('after the echo check'));
    const echoes = alice
      .timeline(roomId)
      .filter((e) => fromGhost(e) && String(e.content.body).includes('no echo please'));
    expect(echoes).toHaveLength(0);
  });

  it('a reply quotes the original with a link to it; edits, reactions and redactions follow', async () => {
    const original = await alice.sendText(roomId, 'matrix original');
    const remote = await w.sim.waitForMessage(w.general.id, byWebhook('matrix original'));
    await alice.sendReply(roomId, original, 'matrix reply');
    const reply = await w.sim.waitForMessage(w.general.id, byWebhook('matrix reply'));
    expect(reply.content).toContain(`/channels/${w.guild.id}/${w.general.id}/${remote.id}`);
    await alice.sendEdit(roomId, original, 'matrix edited');
    await w.sim.waitForMessage(w.general.id, (m) => m.id === remote.id && m.content === 'matrix edited');
    const reaction = await alice.react(roomId, original, '👍');
    await waitUntil(() =>
      w.sim.message(w.general.id, remote.id)!.reactions.some((r) => r.emoji.name === '👍'),
    );
    await alice.redact(roomId, reaction);
    await waitUntil(() => w.sim.message(w.general.id, remote.id)!.reactions.length === 0);
    await alice.redact(roomId, original);
    await waitUntil(() => w.sim.message(w.general.id, remote.id) === undefined);
  });

  it('a reaction named like a guild emoji uses that emoji', async () => {
    const emoji = w.sim.createEmoji(w.guild.id, { name: 'blobcat', image: PNG });
    const original = await alice.sendText(roomId, 'custom reaction target');
    const remote = await w.sim.waitForMessage(w.general.id, byWebhook('custom reaction target'));
    await alice.react(roomId, original, ':blobcat:');
    await waitUntil(() =>
      w.sim.message(w.general.id, remote.id)!.reactions.some((r) => r.emoji.id === emoji.id),
    );
  });

  it('a pill of a Discord ghost pings that user; @room does not ping @everyone', async () => {
    const ghost = w.ghostOf(w.dana);
    await alice.sendHtml(
      roomId,
      'hey Dana @room',
      `hey <a href="https://matrix.to/#/${ghost}">Dana on Discord</a> @room`,
    );
    const m = await w.sim.waitForMessage(w.general.id, byWebhook('hey'));
    expect(m.content).toContain(`<@${w.dana.id}>`);
    expect(m.mentions).toEqual([w.dana.id]);
    expect(m.mentionEveryone).toBe(false);
  });

  it('an image is fetched through the authenticated media API and uploaded to Discord intact', async () => {
    await alice.sendImage(roomId, PNG, 'from-matrix.png', 'image/png');
    const m = await w.sim.waitForMessage(w.general.id, (x) =>
      x.attachments.some((a) => a.filename === 'from-matrix.png'),
    );
    expect(m.attachments[0]!.data.equals(PNG)).toBe(true);
  });

  it("a file over Discord's upload limit produces a visible notice instead of silence", async () => {
    const eventId = await alice.sendImage(
      roomId,
      Buffer.alloc(10 * 1024 * 1024 + 1, 1),
      'huge.png',
      'image/png',
    );
    const notice = await alice.waitForEvent(
      roomId,
      (e) => e.content.msgtype === 'm.notice' && String(e.content.body).includes('too large'),
    );
    expect(relation(notice)).toMatchObject({ 'm.in_reply_to': { event_id: eventId } });
  }, 60_000);

  it('a message Discord refuses (403) produces a visible notice in the room', async () => {
    w.sim.failNext('POST /webhooks/:webhook_id/:token', 403);
    const eventId = await alice.sendText(roomId, 'this will be refused');
    const notice = await alice.waitForEvent(
      roomId,
      (e) =>
        e.content.msgtype === 'm.notice' &&
        (relation(e)['m.in_reply_to'] as { event_id?: string } | undefined)?.event_id === eventId,
    );
    expect(notice.sender).toBe(w.world.botUserId);
    expect(String(notice.content.body)).toContain('could not be delivered to Discord');
  });

  it('a 429 from Discord is waited out and the message arrives once', async () => {
    w.sim.failNext('POST /webhooks/:webhook_id/:token', 429, { retryAfter: 0.2 });
    await alice.sendText(roomId, 'after rate limit');
    await w.sim.waitForMessage(w.general.id, byWebhook('after rate limit'));
    await new Promise((r) => setTimeout(r, 500));
    expect(w.sim.messages(w.general.id).filter(byWebhook('after rate limit'))).toHaveLength(1);
  });

  it('a topic change in a plumbed room becomes the channel topic on Discord', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'topical' });
    const room = await alice.createRoom({ name: 'Topical room' });
    await alice.invite(room, w.world.botUserId);
    await alice.waitForEvent(
      room,
      (e) =>
        e.type === 'm.room.member' && e.state_key === w.world.botUserId && e.content.membership === 'join',
    );
    await plumbWithApproval(w, alice, room, channel.id);
    await alice.client.setRoomTopic(room, 'Topic set from Matrix');
    await waitUntil(() => w.sim.channel(channel.id)!.topic === 'Topic set from Matrix');
  });

  it('a room rename in Matrix renames the Discord channel as a slug, and the room keeps the name it was given', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'to-rename' });
    const room = await plumbedRoom(w, alice, channel.id, 'Before rename');
    await alice.client.setRoomName(room, 'Planning  Room');
    await waitUntil(() => w.sim.channel(channel.id)!.name === 'planning-room');
    // The channel update Discord sends back must not rename the room to "planning-room (Trestle Guild)".
    await alice.client.setRoomTopic(room, 'after the rename');
    await waitUntil(() => w.sim.channel(channel.id)!.topic === 'after the rename');
    await new Promise((r) => setTimeout(r, 500));
    expect(await alice.getState(room, 'm.room.name')).toEqual({ name: 'Planning  Room' });
    // Renames on Discord still reach the room.
    w.sim.updateChannel(channel.id, { name: 'renamed-on-discord' });
    await alice.waitForEvent(
      room,
      (e) => e.type === 'm.room.name' && e.content.name === 'renamed-on-discord (Trestle Guild)',
    );
  }, 60_000);

  it('without Manage Channels, a room rename stays on Matrix and the room is told why', async () => {
    const channel = w.sim.createChannel(w.guild.id, { name: 'locked-name' });
    const room = await plumbedRoom(w, alice, channel.id, 'Locked');
    w.sim.denyBot(channel.id, MANAGE_CHANNELS);
    await new Promise((r) => setTimeout(r, 300)); // discord.js sees the new overwrite
    await alice.client.setRoomName(room, 'Not allowed');
    await alice.waitForEvent(
      room,
      (e) =>
        e.sender === w.world.botUserId &&
        e.content.msgtype === 'm.notice' &&
        String(e.content.body).includes('Manage Channels'),
    );
    expect(w.sim.channel(channel.id)!.name).toBe('locked-name');
  }, 60_000);

  it('typing in Matrix shows the bot typing on Discord', async () => {
    const before = w.sim.restCalls('POST /channels/:channel_id/typing');
    await alice.client.sendTyping(roomId, true, 5000);
    await waitUntil(() => w.sim.restCalls('POST /channels/:channel_id/typing') > before);
  });
});

describe('restarts and reconnects', () => {
  it('a gateway drop is resumed and the missed messages are replayed', async () => {
    w.sim.dropGateway();
    w.sim.asUser(w.dana.id).send(w.general.id, 'sent while the gateway was down');
    await alice.waitForEvent(roomId, ghostMessage('sent while the gateway was down'), 30_000);
  });

  it('after the bridge was down, it catches up what was said on Discord, in order', async () => {
    await w.world.stopBridge();
    for (let i = 0; i < 5; i++) w.sim.asUser(w.dana.id).send(w.general.id, `missed ${i}`);
    await w.world.startBridge();
    await alice.waitForEvent(roomId, ghostMessage('missed 4'), 30_000);
    const bodies = alice
      .timeline(roomId)
      .filter((e) => fromGhost(e) && String(e.content.body).startsWith('missed '))
      .map((e) => e.content.body);
    expect(bodies).toEqual(['missed 0', 'missed 1', 'missed 2', 'missed 3', 'missed 4']);
  }, 60_000);

  it('after the bridge was down, edits, deletions and reactions made on Discord meanwhile reach Matrix', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const toEdit = dana.send(w.general.id, 'edit me while down');
    const toDelete = dana.send(w.general.id, 'delete me while down');
    const toReact = dana.send(w.general.id, 'react to me while down');
    const editEv = await alice.waitForEvent(roomId, ghostMessage('edit me while down'));
    const deleteEv = await alice.waitForEvent(roomId, ghostMessage('delete me while down'));
    const reactEv = await alice.waitForEvent(roomId, ghostMessage('react to me while down'));
    const mine = await alice.sendText(roomId, 'matrix message deleted by a moderator while down');
    const remote = await w.sim.waitForMessage(w.general.id, byWebhook('deleted by a moderator'));
    await w.world.stopBridge();

    dana.edit(w.general.id, toEdit.id, 'edited while the bridge was down');
    dana.delete(w.general.id, toDelete.id);
    dana.react(w.general.id, toReact.id, '🎉');
    w.sim.deleteMessage(w.general.id, remote.id);
    await w.world.startBridge();

    await waitForCaughtUpChanges(alice, roomId, {
      edited: [editEv.event_id, 'edited while the bridge was down'],
      reacted: [reactEv.event_id, '🎉'],
      redacted: [deleteEv.event_id, mine],
    });
  }, 60_000);

  it('a Matrix message sent before a restart can be edited and deleted after it', async () => {
    const original = await alice.sendText(roomId, 'before restart');
    const remote = await w.sim.waitForMessage(w.general.id, byWebhook('before restart'));
    await w.world.stopBridge();
    await w.world.startBridge();
    await alice.sendEdit(roomId, original, 'edited after restart');
    await w.sim.waitForMessage(
      w.general.id,
      (m) => m.id === remote.id && m.content === 'edited after restart',
      15_000,
    );
    await alice.redact(roomId, original);
    await waitUntil(() => w.sim.message(w.general.id, remote.id) === undefined);
  }, 60_000);

  it('messages in a Discord thread can be edited, reacted to and deleted from Matrix after a restart', async () => {
    const dana = w.sim.asUser(w.dana.id);
    const starter = dana.send(w.general.id, 'restart thread starter');
    const starterEv = await alice.waitForEvent(roomId, ghostMessage('restart thread starter'));
    const thread = dana.startThread(w.general.id, starter.id, 'Restart thread');
    const fromDana = dana.send(thread.id, 'dana in thread');
    const fromDanaEv = await alice.waitForEvent(roomId, ghostMessage('dana in thread'));
    const mine = await alice.sendEvent(
      roomId,
      'm.room.message',
      inThread(starterEv.event_id, 'alice in thread'),
    );
    const remote = await w.sim.waitForMessage(thread.id, byWebhook('alice in thread'));
    await w.world.stopBridge();
    await w.world.startBridge();
    await alice.sendEdit(roomId, mine, 'alice edited in thread');
    await w.sim.waitForMessage(
      thread.id,
      (m) => m.id === remote.id && m.content === 'alice edited in thread',
      15_000,
    );
    await alice.react(roomId, fromDanaEv.event_id, '👀');
    await waitUntil(() =>
      w.sim.message(thread.id, fromDana.id)!.reactions.some((r) => r.emoji.name === '👀'),
    );
    await alice.redact(roomId, mine);
    await waitUntil(() => w.sim.message(thread.id, remote.id) === undefined);
  }, 60_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Typing is ephemeral and the test user's sync leaves it out, so watch it with a sync of its own. */
async function waitForTyping(room: string, userId: string, timeoutMs = 15_000): Promise<void> {
  const filter = JSON.stringify({
    presence: { not_types: ['*'] },
    account_data: { not_types: ['*'] },
    room: {
      rooms: [room],
      timeline: { limit: 0 },
      state: { not_types: ['*'] },
      ephemeral: { types: ['m.typing'] },
    },
  });
  const deadline = Date.now() + timeoutMs;
  let since: string | undefined;
  while (Date.now() < deadline) {
    const url = new URL('/_matrix/client/v3/sync', w.world.synapse.url);
    url.searchParams.set('filter', filter);
    url.searchParams.set('timeout', '2000');
    if (since) url.searchParams.set('since', since);
    const res = await fetch(url, { headers: { authorization: `Bearer ${alice.client.getAccessToken()}` } });
    const body = (await res.json()) as {
      next_batch: string;
      rooms?: {
        join?: Record<
          string,
          { ephemeral?: { events: Array<{ type: string; content: { user_ids?: string[] } }> } }
        >;
      };
    };
    since = body.next_batch;
    const events = body.rooms?.join?.[room]?.ephemeral?.events ?? [];
    if (events.some((e) => e.type === 'm.typing' && e.content.user_ids?.includes(userId))) return;
  }
  throw new Error(`${userId} was not seen typing in ${room}`);
}
