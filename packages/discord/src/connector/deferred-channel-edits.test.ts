import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createLogger, openStore, type KeyValueStore, type Store } from '@trestle/core';
import { DeferredChannelEdits, type DeferredEdit } from './deferred-channel-edits';

const log = createLogger('error');
let store: Store;
let kv: KeyValueStore;

beforeEach(async () => {
  store = await openStore({ engine: 'sqlite', path: ':memory:' });
  kv = store.kv;
});
afterEach(() => store.close());

const rename = (value: string, due: number): DeferredEdit => ({
  channelId: '100000000000000001',
  field: 'name',
  value,
  from: 'old-name',
  by: '@alice:hs',
  due,
});

describe('DeferredChannelEdits', () => {
  it('applies only the newest change per channel and field, when it is due', async () => {
    const applied: string[] = [];
    const edits = new DeferredChannelEdits(kv, log, async (e) => void applied.push(e.value));
    edits.defer(rename('first', Date.now() + 30));
    edits.defer(rename('second', Date.now() + 30));
    edits.defer({ ...rename('a topic', Date.now() + 30), field: 'topic' });
    await new Promise((r) => setTimeout(r, 80));
    expect(applied.sort()).toEqual(['a topic', 'second']);
    await edits.stop();
  });

  it('forgets a cancelled change, but not a newer one that replaced the edit being cancelled', async () => {
    const applied: string[] = [];
    const edits = new DeferredChannelEdits(kv, log, async (e) => void applied.push(e.value));
    const older = rename('older', Date.now() + 30);
    edits.defer(older);
    edits.defer(rename('newer', Date.now() + 30));
    edits.cancel(older.channelId, 'name', older);
    expect(edits.get(older.channelId, 'name')?.value).toBe('newer');
    edits.cancel(older.channelId, 'name');
    await new Promise((r) => setTimeout(r, 80));
    expect(applied).toEqual([]);
    await edits.stop();
  });

  it('keeps waiting changes across a restart, and applies those that fell due meanwhile at once', async () => {
    const before = new DeferredChannelEdits(kv, log, async () => undefined);
    before.defer(rename('wanted', Date.now() + 30));
    before.defer({ ...rename('later topic', Date.now() + 60_000), field: 'topic' });
    await before.stop();
    await new Promise((r) => setTimeout(r, 60));

    const applied: string[] = [];
    const after = new DeferredChannelEdits(kv, log, async (e) => void applied.push(e.value));
    await after.load();
    expect(after.get('100000000000000001', 'topic')?.value).toBe('later topic');
    await new Promise((r) => setTimeout(r, 20));
    expect(applied).toEqual(['wanted']);
    await after.stop();
  });
});
