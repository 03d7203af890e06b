import { describe, expect, it } from '@jest/globals';
import { createLogger, type KeyValueStore } from '@trestle/core';
import { RECENT_WINDOW, RecentMessages, reactionsByKey } from './recent-messages';

const log = createLogger('error');

/** A store that keeps JSON, like the real ones (no shared object references across a restart). */
function jsonKv(): KeyValueStore {
  const data = new Map<string, string>();
  return {
    get: async <T>(ns: string, key: string) => {
      const json = data.get(`${ns}/${key}`);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    set: async (ns, key, value) => void data.set(`${ns}/${key}`, JSON.stringify(value)),
    delete: async (ns, key) => void data.delete(`${ns}/${key}`),
  };
}
const id = (n: number) => String(1_000_000_000_000_000_000n + BigInt(n));

describe('RecentMessages', () => {
  it('remembers only the newest messages of a channel', async () => {
    const recent = new RecentMessages(jsonKv(), log);
    for (let n = RECENT_WINDOW + 10; n > 0; n--) await recent.bridged('c', id(n));
    const ids = (await recent.list('c')).map(([messageId]) => messageId);
    expect(ids).toHaveLength(RECENT_WINDOW);
    expect(ids[0]).toBe(id(11));
    expect(ids.at(-1)).toBe(id(RECENT_WINDOW + 10));
  });

  it('keeps edits and reactions across a restart once flushed', async () => {
    const kv = jsonKv();
    const before = new RecentMessages(kv, log);
    await before.bridged('c', id(1));
    await before.bridged('c', id(2), true);
    await before.edited('c', id(1), 1234);
    await before.reacted('c', id(1), 'u1', '👍', true);
    await before.reacted('c', id(1), 'u2', '👍', true);
    await before.reacted('c', id(1), 'u1', '👍', false);
    await before.reacted('c', id(9), 'u1', '👍', true); // not remembered: ignored
    await before.removed('c', id(2));
    await before.flush();

    const after = new RecentMessages(kv, log);
    const list = await after.list('c');
    expect(list.map(([messageId]) => messageId)).toEqual([id(1)]);
    expect(list[0]![1].edited).toBe(1234);
    expect(reactionsByKey(list[0]![1])).toEqual(new Map([['👍', new Set(['u2'])]]));
  });
});
