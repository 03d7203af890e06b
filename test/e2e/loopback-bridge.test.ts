/**
 * The core end to end: a real Synapse, the loopback bridge as its own process, and a matrix-js-sdk user.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MatrixTestUser,
  startLoopbackWorld,
  type LoopbackWorld,
  type MatrixTimelineEvent,
} from '@trestle/testkit';

const bob = { id: 'bob', name: 'Bob Remote' };
const carol = { id: 'carol', name: 'Carol Remote' };

let world: LoopbackWorld;
let alice: MatrixTestUser;
let roomId: string;
let domain: string;

const isGhostMessage = (body: string) => (e: MatrixTimelineEvent) =>
  e.type === 'm.room.message' && e.sender.startsWith('@loopback_') && (e.content.body as string) === body;

beforeAll(async () => {
  world = await startLoopbackWorld();
  domain = world.synapse.serverName;
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  roomId = await alice.joinRoom(`#loopback_lobby:${domain}`);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world.bridgeLog().split('\n').slice(-60).join('\n'));
  await alice?.stop();
  await world?.stop();
});

describe('portals', () => {
  it('joining #loopback_<chat> creates the portal room, marked as bridged (m.bridge)', async () => {
    const stateKey = 'trestle://loopback/lobby';
    const info = await alice.getState(roomId, 'm.bridge', stateKey);
    expect(info).toMatchObject({ protocol: { id: 'loopback' }, channel: { id: 'lobby' } });
    expect(await alice.getState(roomId, 'uk.half-shot.bridge', stateKey)).toMatchObject({
      protocol: { id: 'loopback' },
    });
  });

  it('a chat that belongs to a group lands in a Matrix space for that group', async () => {
    const room = await alice.joinRoom(`#loopback_team--general:${domain}`);
    const parents = alice.timeline(room).filter((e) => e.type === 'm.space.parent');
    const parent = parents[0] ?? (await alice.waitForEvent(room, (e) => e.type === 'm.space.parent'));
    const spaceId = parent.state_key!;
    const space = await alice.joinRoom(spaceId);
    expect(await alice.getState(space, 'm.room.create')).toMatchObject({ type: 'm.space' });
    expect(await alice.getState(space, 'm.space.child', room)).toMatchObject({ via: [domain] });
    expect(await alice.getState(space, 'm.room.name')).toMatchObject({ name: 'Loopback team' });
  });

  it('an existing room is plumbed with the link command and then bridges both ways', async () => {
    const plumbed = await alice.createRoom({ name: 'Existing room' });
    await alice.invite(plumbed, `@loopbackbot:${domain}`);
    await alice.waitForEvent(
      plumbed,
      (e) =>
        e.type === 'm.room.member' &&
        e.state_key === `@loopbackbot:${domain}` &&
        e.content.membership === 'join',
    );
    await alice.sendText(plumbed, '!loopback link garden');
    await alice.waitForEvent(
      plumbed,
      (e) => e.sender === `@loopbackbot:${domain}` && String(e.content.body).includes('now bridged'),
    );
    await alice.sendText(plumbed, 'hello garden');
    await world.network.waitFor((n) => n.messages('garden').find((m) => m.text === 'hello garden'));
    world.network.post('garden', bob, 'hi from the garden');
    await alice.waitForEvent(plumbed, isGhostMessage('hi from the garden'));
  });
});

describe('Matrix -> network', () => {
  it('text, HTML, emote and notice arrive in the neutral model with their formatting', async () => {
    await alice.sendText(roomId, 'plain hello');
    await alice.sendHtml(roomId, 'bold move', '<b>bold</b> move');
    await alice.sendEmote(roomId, 'waves');
    await alice.sendNotice(roomId, 'a notice');
    const msgs = await world.network.waitFor((n) => {
      const all = n.messages('lobby').filter((m) => m.origin === 'bridge');
      return all.length >= 4 && all;
    });
    expect(msgs.map((m) => m.text)).toEqual(
      expect.arrayContaining(['plain hello', 'bold move', 'waves', 'a notice']),
    );
    const bold = msgs.find((m) => m.text === 'bold move')!;
    expect(bold.rich!.blocks[0]).toMatchObject({
      type: 'paragraph',
      children: [{ type: 'bold' }, { type: 'text' }],
    });
    expect(msgs.find((m) => m.text === 'waves')!.style).toBe('emote');
    expect(msgs.find((m) => m.text === 'a notice')!.style).toBe('notice');
    expect(bold.sender).toEqual({ id: alice.userId, name: 'Alice' });
  });

  it('reply, edit, reaction and redaction follow the message they relate to', async () => {
    const original = await alice.sendText(roomId, 'to be related');
    const remote = await world.network.waitFor((n) =>
      n.messages('lobby').find((m) => m.text === 'to be related'),
    );
    await alice.sendReply(roomId, original, 'a reply');
    const reply = await world.network.waitFor((n) => n.messages('lobby').find((m) => m.text === 'a reply'));
    expect(reply.replyTo).toBe(remote.id);
    await alice.sendEdit(roomId, original, 'edited text');
    await world.network.waitFor(() => remote.text === 'edited text' && remote.edits === 1);
    const reaction = await alice.react(roomId, original, '👍');
    await world.network.waitFor(() => remote.reactions.some((r) => r.key === '👍'));
    await alice.redact(roomId, reaction);
    await world.network.waitFor(() => remote.reactions.length === 0);
    await alice.redact(roomId, original);
    await world.network.waitFor(() => remote.deleted === true);
  });

  it('an image is fetched through the authenticated media API and reaches the network intact', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db40000000049454e44ae426082',
      'hex',
    );
    await alice.sendImage(roomId, png, 'dot.png', 'image/png');
    const m = await world.network.waitFor((n) => n.messages('lobby').find((x) => x.file?.name === 'dot.png'));
    expect(Buffer.from(m.file!.data, 'base64').equals(png)).toBe(true);
    expect(m.file!.mimetype).toBe('image/png');
  });

  it('a message the network refuses produces a visible notice in the room', async () => {
    world.network.failNextSends(1, 403);
    const eventId = await alice.sendText(roomId, 'this will be refused');
    const notice = await alice.waitForEvent(
      roomId,
      (e) => e.content.msgtype === 'm.notice' && String(e.content.body).includes('could not be delivered'),
    );
    expect(notice.sender).toBe(`@loopbackbot:${domain}`);
    expect(
      (notice.content['m.relates_to'] as { 'm.in_reply_to': { event_id: string } })['m.in_reply_to'].event_id,
    ).toBe(eventId);
  });

  it('a 429 from the network is waited out and the message still arrives once', async () => {
    world.network.failNextSends(2, 429, 200);
    await alice.sendText(roomId, 'after rate limit');
    await world.network.waitFor((n) => n.messages('lobby').find((m) => m.text === 'after rate limit'));
    await new Promise((r) => setTimeout(r, 500));
    expect(world.network.messages('lobby').filter((m) => m.text === 'after rate limit')).toHaveLength(1);
  });
});

describe('network -> Matrix', () => {
  it('messages come from ghosts with the remote display name, formatting and emotes intact', async () => {
    world.network.post('lobby', bob, 'hello matrix');
    const ev = await alice.waitForEvent(roomId, isGhostMessage('hello matrix'));
    expect(ev.sender).toBe(`@loopback_bob:${domain}`);
    const member = await alice.getState(roomId, 'm.room.member', ev.sender);
    expect(member?.displayname).toBe('Bob Remote');
    world.network.post('lobby', bob, 'strong words', {
      rich: {
        blocks: [
          {
            type: 'paragraph',
            children: [
              { type: 'bold', children: [{ type: 'text', text: 'strong' }] },
              { type: 'text', text: ' words' },
            ],
          },
        ],
      },
    });
    const html = await alice.waitForEvent(roomId, isGhostMessage('strong words'));
    expect(html.content.format).toBe('org.matrix.custom.html');
    expect(html.content.formatted_body).toMatch(/<(strong|b)>strong<\/(strong|b)> words/);
    world.network.post('lobby', bob, 'dances', { style: 'emote' });
    expect((await alice.waitForEvent(roomId, isGhostMessage('dances'))).content.msgtype).toBe('m.emote');
  });

  it('replies, edits, reactions and deletions carry the right Matrix relations', async () => {
    const first = world.network.post('lobby', carol, 'carol original');
    const firstEv = await alice.waitForEvent(roomId, isGhostMessage('carol original'));
    world.network.post('lobby', bob, 'bob replies', { replyTo: first.id });
    const reply = await alice.waitForEvent(roomId, isGhostMessage('bob replies'));
    expect(reply.content['m.relates_to']).toMatchObject({ 'm.in_reply_to': { event_id: firstEv.event_id } });
    world.network.edit(first.id, carol, 'carol edited');
    const fromGhost = (e: MatrixTimelineEvent) => e.sender.startsWith('@loopback_');
    const edit = await alice.waitForEvent(
      roomId,
      (e) =>
        fromGhost(e) &&
        (e.content['m.relates_to'] as { rel_type?: string } | undefined)?.rel_type === 'm.replace',
    );
    expect(edit.content['m.relates_to']).toMatchObject({ event_id: firstEv.event_id });
    expect(edit.content['m.new_content']).toMatchObject({ body: 'carol edited' });
    world.network.react(first.id, bob, '🎉');
    const reaction = await alice.waitForEvent(roomId, (e) => fromGhost(e) && e.type === 'm.reaction');
    expect(reaction.content['m.relates_to']).toEqual({
      rel_type: 'm.annotation',
      event_id: firstEv.event_id,
      key: '🎉',
    });
    expect(reaction.sender).toBe(`@loopback_bob:${domain}`);
    world.network.delete(first.id, carol);
    const redaction = await alice.waitForEvent(roomId, (e) => fromGhost(e) && e.type === 'm.room.redaction');
    expect(redaction.redacts ?? redaction.content.redacts).toBe(firstEv.event_id);
  });

  it('an image from the network is uploaded and downloadable from Matrix', async () => {
    const data = Buffer.from('GIF89a-not-really-but-bytes');
    world.network.post('lobby', bob, 'pic.gif', {
      file: { name: 'pic.gif', mimetype: 'image/gif', data: data.toString('base64') },
    });
    const ev = await alice.waitForEvent(
      roomId,
      (e) => e.sender.startsWith('@loopback_') && e.content.msgtype === 'm.image',
    );
    expect(ev.content.body).toBe('pic.gif');
    expect((await alice.downloadMedia(String(ev.content.url))).equals(data)).toBe(true);
  });
});

describe('ordering', () => {
  it('1,000 messages spread over 10 rooms arrive in per-room order', async () => {
    const rooms: string[] = [];
    for (let r = 0; r < 10; r++) rooms.push(await alice.joinRoom(`#loopback_order${r}:${domain}`));
    for (let i = 0; i < 100; i++)
      for (let r = 0; r < 10; r++) world.network.post(`order${r}`, bob, `o${r}-${i}`);
    for (let r = 0; r < 10; r++) {
      await alice.waitForEvent(rooms[r]!, isGhostMessage(`o${r}-99`), 120_000);
      const bodies = alice
        .timeline(rooms[r]!)
        .filter((e) => e.type === 'm.room.message' && String(e.content.body).startsWith(`o${r}-`))
        .map((e) => e.content.body);
      expect(bodies).toEqual(Array.from({ length: 100 }, (_, i) => `o${r}-${i}`));
    }
  }, 180_000);
});

describe('crash safety', () => {
  it('SIGKILL in the middle of a two-way stream loses nothing and duplicates nothing', async () => {
    const room = await alice.joinRoom(`#loopback_crash:${domain}`);
    const N = 60;
    const sending = (async () => {
      for (let i = 0; i < N; i++) await alice.sendText(room, `m2r-${i}`);
    })();
    for (let i = 0; i < N; i++) world.network.post('crash', bob, `r2m-${i}`);
    await alice.waitForEvent(room, isGhostMessage('r2m-5'), 30_000);
    await world.stopBridge('SIGKILL');
    await sending;
    await world.startBridge();
    await alice.waitForEvent(room, isGhostMessage(`r2m-${N - 1}`), 60_000);
    await world.network.waitFor(
      (n) => n.messages('crash').filter((m) => m.origin === 'bridge').length >= N,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const inMatrix = alice
      .timeline(room)
      .filter((e) => e.type === 'm.room.message' && String(e.content.body).startsWith('r2m-'))
      .map((e) => e.content.body);
    expect(inMatrix).toEqual(Array.from({ length: N }, (_, i) => `r2m-${i}`));
    const onNetwork = world.network
      .messages('crash')
      .filter((m) => m.origin === 'bridge')
      .map((m) => m.text);
    expect(onNetwork).toEqual(Array.from({ length: N }, (_, i) => `m2r-${i}`));
  }, 180_000);
});

describe('bad input', () => {
  const txn = (token: string | undefined, body: string) =>
    fetch(`http://127.0.0.1:${world.port}/_matrix/app/v1/transactions/t${Math.random()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  it('a wrong hs_token gets 403 M_FORBIDDEN; a missing one 401', async () => {
    const wrong = await txn('not-the-token', '{"events":[]}');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ errcode: 'M_FORBIDDEN' });
    expect((await txn(undefined, '{"events":[]}')).status).toBe(401);
  });

  it('a malformed transaction gets 400 with a Matrix error code', async () => {
    const { readFileSync } = await import('node:fs');
    const hsToken = /hs_token: (\S+)/.exec(readFileSync(`${world.dir}/registration.yaml`, 'utf8'))![1]!;
    const notJson = await txn(hsToken, '{not json');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ errcode: 'M_NOT_JSON' });
    const badShape = await txn(hsToken, '{"events": {"nope": 1}}');
    expect(badShape.status).toBe(400);
    expect(await badShape.json()).toMatchObject({ errcode: 'M_BAD_JSON' });
  });

  it('the CLI checks a good config, and will not overwrite a registration the homeserver already uses', async () => {
    const { spawnSync } = await import('node:child_process');
    const main = `${__dirname}/../../packages/testkit/dist/loopback/main.js`;
    const check = spawnSync(process.execPath, [main, 'loopback', 'check-config', '-c', world.configPath], {
      encoding: 'utf8',
    });
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('OK');
    const register = spawnSync(process.execPath, [main, 'loopback', 'register', '-c', world.configPath], {
      encoding: 'utf8',
    });
    expect(register.status).toBe(1);
    expect(register.stderr).toMatch(/exists|overwrite|--force/i);
  });

  it('an invalid config exits non-zero with one line per problem, each naming its key', async () => {
    const { spawnSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const bad = `${world.dir}/bad.yaml`;
    writeFileSync(
      bad,
      'homeserver:\n  url: not-a-url\n  domain: example.org\nappservice:\n  url: http://127.0.0.1:1\n  port: 99999\n  bind_adress: 0.0.0.0\nnetwork:\n  url: 5\n',
    );
    const main = `${__dirname}/../../packages/testkit/dist/loopback/main.js`;
    const run = spawnSync(process.execPath, [main, 'loopback', 'start', '-c', bad], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^homeserver\.url: /),
        expect.stringMatching(/^appservice\.port: /),
        expect.stringMatching(/^appservice\.bind_adress: unknown key/),
        expect.stringMatching(/^network\.url: /),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('/health and /metrics answer for admins', async () => {
    const health = await fetch(`http://127.0.0.1:${world.opsPort}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', network: 'loopback' });
    const metrics = await (await fetch(`http://127.0.0.1:${world.opsPort}/metrics`)).text();
    expect(metrics).toMatch(
      /trestle_events_total\{[^}]*direction="to_matrix"[^}]*outcome="sent"[^}]*\} [1-9]/,
    );
  });
});

// Last: it restarts the bridge, whose counters the /metrics test above reads.
describe('after downtime', () => {
  it("Matrix messages sent while the bridge was down arrive as soon as it is back, not at Synapse's next retry", async () => {
    const room = await alice.joinRoom(`#loopback_downtime:${domain}`);
    await world.stopBridge();
    await alice.sendText(room, 'sent while down');
    // Synapse retries an unreachable appservice 2, 4, 8, 16 … s apart: after ~15 s down its next retry is
    // ~15 s away, so only the bridge's startup ping (Synapse then retries at once) brings the message sooner.
    await new Promise((r) => setTimeout(r, 15_000));
    await world.startBridge();
    const started = Date.now();
    await world.network.waitFor(
      (n) => n.messages('downtime').some((m) => m.origin === 'bridge' && m.text === 'sent while down'),
      40_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 90_000);
});
