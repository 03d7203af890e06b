/** Moving a bridge from the embedded SQLite store to PostgreSQL keeps everything it needs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyStore, openStore, type StoreOptions } from '@trestle/core';
import { createFreshDatabase, type FreshDatabase } from '@trestle/testkit';

describe('copyStore', () => {
  let dir: string;
  let pg: FreshDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trestle-copy-'));
    pg = await createFreshDatabase('copy');
  });
  afterAll(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies portals, ghosts, the message map, logins, key/values and unhandled journal entries', async () => {
    const from: StoreOptions = { engine: 'sqlite', path: join(dir, 'bridge.sqlite') };
    const source = await openStore(from);
    const now = Date.now();
    for (let i = 0; i < 1500; i++) {
      await source.ghosts.upsert({
        remoteId: `g${i}`,
        userId: `@x_g${i}:hs`,
        displayName: `G ${i}`,
        updatedAt: now,
      });
    }
    await source.portals.upsert({
      roomId: '!r:hs',
      chatId: 'c',
      kind: 'group',
      plumbed: true,
      name: 'Room',
      settings: { a: 1 },
      createdAt: now,
    });
    await source.messages.add([
      {
        roomId: '!r:hs',
        eventId: '$e',
        chatId: 'c',
        remoteId: 'm1',
        part: 0,
        sender: '@x_g1:hs',
        createdAt: now,
      },
      {
        roomId: '!r:hs',
        eventId: '$e',
        chatId: 'c',
        remoteId: 'm2',
        part: 1,
        sender: '@x_g1:hs',
        createdAt: now,
      },
    ]);
    await source.logins.put({ userId: '@alice:hs', remoteId: 'alice', data: { token: 'sealed' } });
    await source.kv.set('telegram', 'offset', 42);
    const [done, pending] = await source.journal.append([
      { roomId: '!r:hs', eventId: '$done', event: { type: 'm.room.message' } },
      { roomId: '!r:hs', eventId: '$pending', event: { type: 'm.room.message' } },
    ]);
    await source.journal.markDone(done!.seq);
    await source.close();

    const to: StoreOptions = { engine: 'postgres', url: pg.url };
    const report = await copyStore(from, to);
    expect(report).toEqual({ portals: 1, ghosts: 1500, message_map: 2, logins: 1, kv: 1, journal: 1 });

    const target = await openStore(to);
    try {
      expect(await target.portals.byChat('c')).toMatchObject({
        roomId: '!r:hs',
        plumbed: true,
        settings: { a: 1 },
      });
      expect(await target.ghosts.count()).toBe(1500);
      expect((await target.messages.partsOfEvent('$e')).map((m) => m.remoteId)).toEqual(['m1', 'm2']);
      expect(await target.logins.get('@alice:hs')).toMatchObject({ data: { token: 'sealed' } });
      expect(await target.kv.get('telegram', 'offset')).toBe(42);
      expect((await target.journal.pending()).map((e) => e.eventId)).toEqual([pending!.eventId]);
      // running it again changes nothing
      expect(await copyStore(from, to)).toMatchObject({ ghosts: 1500 });
      expect(await target.ghosts.count()).toBe(1500);
    } finally {
      await target.close();
    }
  });
});
