/**
 * The store contract, run identically against both engines: SQLite (better-sqlite3, a file in a temporary
 * folder) and PostgreSQL (a fresh database on the test server). Each case uses its own ids, so cases share
 * one store per engine without seeing each other's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Portal } from '../../packages/core/src/model/portal';
import { openStore, type StoreOptions } from '../../packages/core/src/store';
import type { MessageMapping, Store } from '../../packages/core/src/store/store';
import { createFreshDatabase } from '../../packages/testkit/src/postgres';

interface Backing {
  options: StoreOptions;
  discard(): Promise<void>;
}

const engines: Array<{ engine: string; provide(): Promise<Backing> }> = [
  {
    engine: 'sqlite',
    provide: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trestle-store-'));
      return {
        options: { engine: 'sqlite', path: join(dir, 'nested', 'bridge.db') },
        discard: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    engine: 'postgres',
    provide: async () => {
      const database = await createFreshDatabase('store_contract');
      return {
        options: { engine: 'postgres', url: database.url, poolSize: 4 },
        discard: () => database.drop(),
      };
    },
  },
];

let idCounter = 0;
/** An id no other case uses. */
const unique = (label: string) => `${label}-${++idCounter}`;

function portal(overrides: Partial<Portal> = {}): Portal {
  return {
    roomId: `!${unique('room')}:example.org`,
    chatId: unique('chat'),
    kind: 'group',
    plumbed: false,
    settings: {},
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

function mapping(
  overrides: Partial<MessageMapping> & Pick<MessageMapping, 'chatId' | 'remoteId'>,
): MessageMapping {
  return {
    roomId: '!room:example.org',
    eventId: `$${unique('event')}`,
    part: 0,
    sender: '@alice:example.org',
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

describe.each(engines)('store on $engine', ({ engine, provide }) => {
  let backing: Backing;
  let store: Store;

  beforeAll(async () => {
    backing = await provide();
    store = await openStore(backing.options);
  });

  afterAll(async () => {
    await store?.close();
    await backing?.discard();
  });

  it('reports which engine it runs on', () => {
    expect(store.engine).toBe(engine);
  });

  describe('portals', () => {
    it('finds an upserted portal by room and by chat, with all its fields', async () => {
      const p = portal({
        kind: 'channel',
        plumbed: true,
        name: 'General',
        topic: 'Say hi',
        settings: { relay: true, nested: { list: [1, 'two'] } },
      });
      await store.portals.upsert(p);
      expect(await store.portals.byRoom(p.roomId)).toEqual(p);
      expect(await store.portals.byChat(p.chatId)).toEqual(p);
    });

    it('answers undefined for an unknown room or chat', async () => {
      expect(await store.portals.byRoom('!nowhere:example.org')).toBeUndefined();
      expect(await store.portals.byChat('no-such-chat')).toBeUndefined();
    });

    it('upserting the same room again replaces its fields and clears removed optional ones', async () => {
      const p = portal({ name: 'Old name', topic: 'Old topic' });
      await store.portals.upsert(p);
      const renamed: Portal = { ...p, name: 'New name', topic: undefined, settings: { mode: 'relay' } };
      await store.portals.upsert(renamed);
      const found = await store.portals.byRoom(p.roomId);
      expect(found).toEqual({ ...p, name: 'New name', topic: undefined, settings: { mode: 'relay' } });
      expect(found).not.toHaveProperty('topic');
    });

    it('linking a chat to a new room replaces the portal of its old room', async () => {
      const old = portal();
      await store.portals.upsert(old);
      const moved = portal({ chatId: old.chatId });
      await store.portals.upsert(moved);
      expect(await store.portals.byChat(old.chatId)).toEqual(moved);
      expect(await store.portals.byRoom(old.roomId)).toBeUndefined();
    });

    it('removes a portal, and list and count follow', async () => {
      const before = await store.portals.count();
      const a = portal();
      const b = portal();
      await store.portals.upsert(a);
      await store.portals.upsert(b);
      expect(await store.portals.count()).toBe(before + 2);
      await store.portals.remove(a.roomId);
      expect(await store.portals.byRoom(a.roomId)).toBeUndefined();
      expect(await store.portals.count()).toBe(before + 1);
      const rooms = (await store.portals.list()).map((p) => p.roomId);
      expect(rooms).toContain(b.roomId);
      expect(rooms).not.toContain(a.roomId);
      expect(rooms).toHaveLength(before + 1);
    });
  });

  describe('ghosts', () => {
    it('finds an upserted ghost by remote id and by Matrix user id', async () => {
      const remoteId = unique('remote-user');
      const ghost = {
        remoteId,
        userId: `@_bridge_${remoteId}:example.org`,
        displayName: 'Alice (Discord)',
        avatarKey: 'avatar-hash',
        avatarMxc: 'mxc://example.org/abc',
        updatedAt: 1_700_000_000_123,
      };
      await store.ghosts.upsert(ghost);
      expect(await store.ghosts.get(remoteId)).toEqual(ghost);
      expect(await store.ghosts.byUserId(ghost.userId)).toEqual(ghost);
      expect(await store.ghosts.get('nobody')).toBeUndefined();
    });

    it('a profile update replaces the stored profile and is counted once', async () => {
      const remoteId = unique('remote-user');
      const userId = `@_bridge_${remoteId}:example.org`;
      const before = await store.ghosts.count();
      await store.ghosts.upsert({
        remoteId,
        userId,
        displayName: 'Bob',
        avatarMxc: 'mxc://x/1',
        updatedAt: 1,
      });
      await store.ghosts.upsert({ remoteId, userId, displayName: 'Bobby', updatedAt: 2 });
      expect(await store.ghosts.get(remoteId)).toEqual({
        remoteId,
        userId,
        displayName: 'Bobby',
        updatedAt: 2,
      });
      expect(await store.ghosts.count()).toBe(before + 1);
    });
  });

  describe('message map', () => {
    it('returns the parts of a remote message in part order, whatever order they were added in', async () => {
      const chatId = unique('chat');
      const parts = [2, 0, 1].map((part) => mapping({ chatId, remoteId: 'msg-1', part }));
      await store.messages.add(parts);
      const found = await store.messages.byRemote(chatId, 'msg-1');
      expect(found.map((m) => m.part)).toEqual([0, 1, 2]);
      expect(found[0]).toEqual(parts[1]);
      expect(await store.messages.byEvent(parts[0]!.eventId)).toEqual(parts[0]);
    });

    it('keeps messages of different chats apart', async () => {
      const [chatA, chatB] = [unique('chat'), unique('chat')];
      await store.messages.add([mapping({ chatId: chatA, remoteId: 'same-id' })]);
      await store.messages.add([mapping({ chatId: chatB, remoteId: 'same-id' })]);
      expect(await store.messages.byRemote(chatA, 'same-id')).toHaveLength(1);
    });

    it('ignores an event id that is already mapped, keeping the first mapping', async () => {
      const chatId = unique('chat');
      const first = mapping({ chatId, remoteId: 'original' });
      await store.messages.add([first]);
      await store.messages.add([{ ...first, remoteId: 'replayed' }, mapping({ chatId, remoteId: 'fresh' })]);
      expect(await store.messages.byEvent(first.eventId)).toEqual(first);
      expect(await store.messages.byRemote(chatId, 'replayed')).toEqual([]);
      expect(await store.messages.byRemote(chatId, 'fresh')).toHaveLength(1);
    });

    it('finds a reaction by sender and key, and does not count it as a part of the message', async () => {
      const chatId = unique('chat');
      const message = mapping({ chatId, remoteId: 'liked' });
      const thumbs = mapping({ chatId, remoteId: 'liked', sender: '@bob:example.org', reactionKey: '👍' });
      const heart = mapping({ chatId, remoteId: 'liked', sender: '@bob:example.org', reactionKey: '❤️' });
      await store.messages.add([message, thumbs, heart]);
      expect(await store.messages.reaction(chatId, 'liked', '@bob:example.org', '👍')).toEqual(thumbs);
      expect(await store.messages.reaction(chatId, 'liked', '@alice:example.org', '👍')).toBeUndefined();
      expect(await store.messages.byRemote(chatId, 'liked')).toEqual([message]);
    });

    it('forgets a removed event', async () => {
      const chatId = unique('chat');
      const m = mapping({ chatId, remoteId: 'deleted' });
      await store.messages.add([m]);
      await store.messages.removeEvent(m.eventId);
      expect(await store.messages.byEvent(m.eventId)).toBeUndefined();
      expect(await store.messages.byRemote(chatId, 'deleted')).toEqual([]);
    });

    it('adds a batch larger than one INSERT statement', async () => {
      const chatId = unique('chat');
      const many = Array.from({ length: 1_200 }, (_, part) => mapping({ chatId, remoteId: 'long', part }));
      await store.messages.add(many);
      const found = await store.messages.byRemote(chatId, 'long');
      expect(found).toHaveLength(1_200);
      expect(found[1_199]!.part).toBe(1_199);
    });
  });

  describe('journal', () => {
    /** Journal cases run in order on one shared journal, so each drains what it appended. */
    async function drain() {
      for (const entry of await store.journal.pending()) await store.journal.markDone(entry.seq);
    }

    it('returns appended events oldest first, with their content', async () => {
      await drain();
      const events = ['$j1', '$j2', '$j3'].map((eventId, i) => ({
        roomId: '!journal:example.org',
        eventId,
        event: { type: 'm.room.message', content: { body: `hello ${i}`, nested: [true, null] } },
      }));
      await store.journal.append(events.slice(0, 2));
      await store.journal.append(events.slice(2));
      const pending = await store.journal.pending();
      expect(pending.map((e) => e.eventId)).toEqual(['$j1', '$j2', '$j3']);
      expect(pending[0]).toMatchObject({
        roomId: '!journal:example.org',
        event: events[0]!.event,
      });
      expect(pending[0]!.seq).toBeLessThan(pending[1]!.seq);
      expect((await store.journal.pending(2)).map((e) => e.eventId)).toEqual(['$j1', '$j2']);
      await drain();
    });

    it("ignores a transaction already journaled (the homeserver's retry), even after it was handled", async () => {
      await drain();
      const txnId = unique('txn');
      const entry = { roomId: '!journal:example.org', eventId: '$dup', event: { n: 1 } };
      await store.journal.append([entry, { ...entry, event: { n: 2 } }], txnId);
      expect(await store.journal.append([entry], txnId)).toEqual([]);
      const pending = await store.journal.pending();
      expect(pending).toHaveLength(1);
      expect(pending[0]!.event).toEqual({ n: 1 });
      await store.journal.markDone(pending[0]!.seq);
      await store.journal.append([entry], txnId); // a homeserver retry of a transaction already handled
      expect(await store.journal.pending()).toEqual([]);
      const next = { roomId: '!journal:example.org', eventId: '$after', event: {} };
      expect(await store.journal.append([next], unique('txn'))).toHaveLength(1);
      await drain();
    });

    it('a done entry is no longer pending', async () => {
      await drain();
      await store.journal.append([
        { roomId: '!journal:example.org', eventId: '$tried', event: {} },
        { roomId: '!journal:example.org', eventId: '$next', event: {} },
      ]);
      const [tried] = await store.journal.pending(1);
      await store.journal.markDone(tried!.seq);
      expect((await store.journal.pending()).map((e) => e.eventId)).toEqual(['$next']);
      await drain();
    });

    // Last of the journal cases: it leaves its entries pending rather than marking hundreds done one by one.
    it('journals a transaction larger than one INSERT statement, keeping its order', async () => {
      await drain();
      const many = Array.from({ length: 600 }, (_, i) => ({
        roomId: '!journal:example.org',
        eventId: `$bulk-${i}`,
        event: { i },
      }));
      const txnId = unique('txn');
      await store.journal.append(many, txnId);
      expect(await store.journal.append(many, txnId)).toEqual([]);
      const pending = await store.journal.pending();
      expect(pending.map((e) => e.event)).toEqual(many.map((e) => e.event));
    });
  });

  describe('logins', () => {
    it('stores, replaces and removes a login with its connector data', async () => {
      const userId = `@${unique('user')}:example.org`;
      await store.logins.put({ userId, remoteId: 'tg-1', data: { session: 'abc', dc: 2 } });
      expect(await store.logins.get(userId)).toEqual({
        userId,
        remoteId: 'tg-1',
        data: { session: 'abc', dc: 2 },
      });
      await store.logins.put({ userId, remoteId: 'tg-2', data: {} });
      expect(await store.logins.get(userId)).toEqual({ userId, remoteId: 'tg-2', data: {} });
      await store.logins.remove(userId);
      expect(await store.logins.get(userId)).toBeUndefined();
    });
  });

  describe('key/values', () => {
    it('keeps JSON values of every shape, per namespace', async () => {
      const ns = unique('ns');
      const values: unknown[] = [
        42,
        'offset',
        true,
        null,
        [1, { a: 'b' }],
        { cursor: 123456789012, nested: {} },
      ];
      for (const [i, value] of values.entries()) await store.kv.set(ns, `k${i}`, value);
      for (const [i, value] of values.entries()) expect(await store.kv.get(ns, `k${i}`)).toEqual(value);
      expect(await store.kv.get(unique('other-ns'), 'k0')).toBeUndefined();
    });

    it('overwrites and deletes a key without touching the same key in another namespace', async () => {
      const [telegram, discord] = [unique('telegram'), unique('discord')];
      await store.kv.set(telegram, 'cursor', 1);
      await store.kv.set(discord, 'cursor', 'a');
      await store.kv.set(telegram, 'cursor', 2);
      expect(await store.kv.get<number>(telegram, 'cursor')).toBe(2);
      await store.kv.delete(telegram, 'cursor');
      expect(await store.kv.get(telegram, 'cursor')).toBeUndefined();
      expect(await store.kv.get(discord, 'cursor')).toBe('a');
    });
  });

  describe('reopening', () => {
    it('keeps the data, and migrations already applied are not applied again', async () => {
      // SQLite groups writes into one commit per 2 ms window (sqlite-session.ts): let the open handle's group
      // commit before a second handle on the same file takes the write lock. In one process the second handle's
      // busy wait would block the very timer that commits the group.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const first = await openStore(backing.options); // a second handle on the same database
      const p = portal({ name: 'Survives restarts' });
      await first.portals.upsert(p);
      await first.kv.set('reopen', 'cursor', { offset: 7 });
      await first.journal.append([
        { roomId: p.roomId, eventId: '$unfinished', event: { type: 'm.room.message' } },
      ]);
      await first.close();
      await first.close(); // closing twice is harmless

      const second = await openStore(backing.options);
      const third = await openStore(backing.options);
      try {
        expect(await second.portals.byRoom(p.roomId)).toEqual(p);
        expect(await second.kv.get('reopen', 'cursor')).toEqual({ offset: 7 });
        expect((await third.journal.pending()).map((e) => e.eventId)).toContain('$unfinished');
      } finally {
        await second.close();
        await third.close();
      }
    });
  });
});
