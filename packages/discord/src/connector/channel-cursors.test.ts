import { describe, expect, it } from '@jest/globals';
import { createLogger, type KeyValueStore } from '@trestle/core';
import { ChannelCursors, CURSOR_NAMESPACE } from './channel-cursors';

function countingKv() {
  const data = new Map<string, unknown>();
  const counts = { get: 0, set: 0 };
  const kv: KeyValueStore = {
    get: async <T>(ns: string, key: string) => {
      counts.get++;
      return data.get(`${ns}/${key}`) as T | undefined;
    },
    set: async (ns, key, value) => {
      counts.set++;
      data.set(`${ns}/${key}`, value);
    },
    delete: async (ns, key) => void data.delete(`${ns}/${key}`),
  };
  return { kv, counts };
}

const log = createLogger('error');

describe('ChannelCursors', () => {
  it('saves only the newest message of a burst, once per flush', async () => {
    const { kv, counts } = countingKv();
    const cursors = new ChannelCursors(kv, log);
    for (const id of ['1000000000000000001', '1000000000000000003', '1000000000000000002'])
      cursors.advance('c1', id);
    await cursors.flush();
    expect(await kv.get(CURSOR_NAMESPACE, 'c1')).toBe('1000000000000000003');
    expect(counts.set).toBe(1);
    expect(await cursors.get('c1')).toBe('1000000000000000003');
  });

  it('never moves a stored cursor backwards after a restart', async () => {
    const { kv } = countingKv();
    await kv.set(CURSOR_NAMESPACE, 'c1', '1000000000000000009');
    const cursors = new ChannelCursors(kv, log);
    cursors.advance('c1', '1000000000000000005');
    await cursors.flush();
    expect(await kv.get(CURSOR_NAMESPACE, 'c1')).toBe('1000000000000000009');
  });

  it('reads the store for a channel it has not seen this run', async () => {
    const { kv } = countingKv();
    await kv.set(CURSOR_NAMESPACE, 'c2', '1000000000000000007');
    expect(await new ChannelCursors(kv, log).get('c2')).toBe('1000000000000000007');
  });
});
