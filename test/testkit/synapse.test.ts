/**
 * The testkit's Matrix side against a real Synapse: the launcher, shared-secret registration and
 * two matrix-js-sdk users talking. These must fail (never skip) when Synapse cannot start: every
 * bridge end-to-end test depends on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatrixTestUser } from '../../packages/testkit/src/matrix-user';
import {
  SharedSecretRegistrationError,
  startSynapse,
  type SynapseHandle,
} from '../../packages/testkit/src/synapse';

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

describe('Synapse on SQLite with two matrix-js-sdk users', () => {
  const asToken = 'as-token-for-testkit';
  const registrationDir = mkdtempSync(join(tmpdir(), 'trestle-registration-'));
  const registrationFile = join(registrationDir, 'registration.yaml');
  writeFileSync(
    registrationFile,
    [
      'id: testkit-probe',
      'url: null',
      `as_token: ${asToken}`,
      'hs_token: hs-token-for-testkit',
      'sender_localpart: probebot',
      'rate_limited: false',
      'namespaces:',
      '  users: [{ exclusive: true, regex: "@probe_.*" }]',
      '  aliases: []',
      '  rooms: []',
    ].join('\n'),
  );

  let synapse: SynapseHandle;
  let alice: MatrixTestUser;
  let bob: MatrixTestUser;
  let roomId: string;

  beforeAll(async () => {
    synapse = await startSynapse({ registrations: [registrationFile], serverName: 'hs.test' });
    [alice, bob] = await Promise.all([
      MatrixTestUser.register(synapse, 'alice', { displayName: 'Alice' }),
      MatrixTestUser.register(synapse, 'bob'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await synapse?.stop();
    rmSync(registrationDir, { recursive: true, force: true });
  });

  it('answers the client API on a loopback port under the requested server name', async () => {
    expect(synapse.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const versions = (await (await fetch(`${synapse.url}/_matrix/client/versions`)).json()) as {
      versions: string[];
    };
    expect(versions.versions).toContain('v1.11');
    expect(alice.userId).toBe('@alice:hs.test');
  });

  it('loads the appservice registration so its token acts as the bridge bot', async () => {
    const response = await fetch(`${synapse.url}/_matrix/client/v3/account/whoami`, {
      headers: { authorization: `Bearer ${asToken}` },
    });
    expect(await response.json()).toMatchObject({ user_id: '@probebot:hs.test' });
  });

  it('lets one user create a room with an alias and the other join it by that alias', async () => {
    roomId = await alice.createRoom({
      preset: 'public_chat' as never,
      room_alias_name: 'lobby',
      name: 'Lobby',
    });
    expect(await bob.joinRoom('#lobby:hs.test')).toBe(roomId);
    const join = await alice.waitForEvent(
      roomId,
      (e) => e.type === 'm.room.member' && e.state_key === bob.userId && e.content.membership === 'join',
    );
    expect(join.sender).toBe(bob.userId);
    expect(await bob.getState(roomId, 'm.room.name')).toEqual({ name: 'Lobby' });
    expect(await bob.getState(roomId, 'm.room.topic')).toBeUndefined();
  });

  it('delivers an HTML message with its formatted body', async () => {
    const eventId = await alice.sendHtml(roomId, 'hello **world**', 'hello <strong>world</strong>');
    const received = await bob.waitForEvent(roomId, (e) => e.event_id === eventId);
    expect(received).toMatchObject({
      type: 'm.room.message',
      sender: alice.userId,
      content: {
        msgtype: 'm.text',
        body: 'hello **world**',
        format: 'org.matrix.custom.html',
        formatted_body: 'hello <strong>world</strong>',
      },
    });
  });

  it('finds events that arrived before waitForEvent was called', async () => {
    const eventId = await alice.sendText(roomId, 'already here');
    await bob.waitForEvent(roomId, (e) => e.event_id === eventId);
    const again = await bob.waitForEvent(roomId, (e) => e.content.body === 'already here', 1);
    expect(again.event_id).toBe(eventId);
  });

  it('delivers a reaction as an m.annotation on the message', async () => {
    const target = await bob.sendText(roomId, 'react to me');
    const reactionId = await alice.react(roomId, target, '👍');
    const reaction = await bob.waitForEvent(roomId, (e) => e.event_id === reactionId);
    expect(reaction).toMatchObject({
      type: 'm.reaction',
      sender: alice.userId,
      content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key: '👍' } },
    });
  });

  it('delivers an edit as an m.replace carrying the new content', async () => {
    const original = await alice.sendText(roomId, 'tpyo');
    const editId = await alice.sendEdit(roomId, original, 'typo');
    const edit = await bob.waitForEvent(roomId, (e) => e.event_id === editId);
    expect(edit.content).toMatchObject({
      body: '* typo',
      'm.new_content': { msgtype: 'm.text', body: 'typo' },
      'm.relates_to': { rel_type: 'm.replace', event_id: original },
    });
  });

  it('delivers replies and redactions with their relations', async () => {
    const question = await bob.sendText(roomId, 'question?');
    const answer = await alice.sendReply(roomId, question, 'answer');
    const reply = await bob.waitForEvent(roomId, (e) => e.event_id === answer);
    expect(reply.content['m.relates_to']).toEqual({ 'm.in_reply_to': { event_id: question } });

    const redactionId = await bob.redact(roomId, question, 'wrong room');
    const redaction = await alice.waitForEvent(roomId, (e) => e.event_id === redactionId);
    expect(redaction.type).toBe('m.room.redaction');
    expect(redaction.redacts ?? redaction.content.redacts).toBe(question);
  });

  it('posts an image whose bytes come back through the authenticated media API', async () => {
    const eventId = await alice.sendImage(roomId, PNG_1X1, 'pixel.png', 'image/png');
    const image = await bob.waitForEvent(roomId, (e) => e.event_id === eventId);
    expect(image.content).toMatchObject({
      msgtype: 'm.image',
      body: 'pixel.png',
      info: { mimetype: 'image/png', size: PNG_1X1.length },
    });
    expect(await bob.downloadMedia(image.content.url as string)).toEqual(PNG_1X1);
  });

  it('shows an invitation to the invited user', async () => {
    const privateRoom = await alice.createRoom({});
    await alice.invite(privateRoom, bob.userId);
    const invite = await bob.waitForInvite((i) => i.room_id === privateRoom);
    expect(invite.sender).toBe(alice.userId);
  });

  it('refuses to register a taken localpart with a typed error naming the errcode', async () => {
    const error = await synapse.registerUser('alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SharedSecretRegistrationError);
    expect((error as SharedSecretRegistrationError).errcode).toBe('M_USER_IN_USE');
  });

  it('keeps rooms and messages across restart(), and syncing users carry on', async () => {
    const before = await alice.sendText(roomId, 'before restart');
    const url = synapse.url;
    await synapse.restart();
    expect(synapse.url).toBe(url);
    const after = await alice.sendText(roomId, 'after restart');
    await bob.waitForEvent(roomId, (e) => e.event_id === after, 20_000);
    expect(bob.timeline(roomId).map((e) => e.event_id)).toContain(before);
    const history = await alice.client.createMessagesRequest(roomId, null, 50, 'b' as never);
    expect(history.chunk.map((e) => e.event_id)).toEqual(expect.arrayContaining([before, after]));
  }, 60_000);
});

describe('Synapse on PostgreSQL', () => {
  let synapse: SynapseHandle | undefined;

  afterAll(async () => {
    await synapse?.stop();
  });

  it('starts on a fresh C-collated database and registers a user who can create a room', async () => {
    synapse = await startSynapse({ postgres: true });
    const carol = await MatrixTestUser.register(synapse, 'carol');
    try {
      expect(carol.userId).toBe('@carol:localhost');
      const roomId = await carol.createRoom({ name: 'on postgres' });
      expect(await carol.getState(roomId, 'm.room.name')).toEqual({ name: 'on postgres' });
    } finally {
      await carol.stop();
    }
  }, 90_000);
});
