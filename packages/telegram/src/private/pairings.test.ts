import { describe, expect, it } from '@jest/globals';
import type { KeyValueStore } from '@trestle/core';
import { Pairings, pairingCodeLifetimeMs } from './pairings';

function memoryKv(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: async <T>(ns: string, key: string) => data.get(`${ns}/${key}`) as T | undefined,
    set: async (ns, key, value) => void data.set(`${ns}/${key}`, value),
    delete: async (ns, key) => void data.delete(`${ns}/${key}`),
  };
}

describe('Telegram pairings', () => {
  it('a code pairs the Telegram user with the Matrix user who asked for it, once', async () => {
    const pairings = new Pairings(memoryKv());
    const code = await pairings.issueCode('@alice:example.org');
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect((await pairings.redeem('42', code.toLowerCase()))?.pairing.matrixUserId).toBe(
      '@alice:example.org',
    );
    expect((await pairings.pairingOf('42'))?.matrixUserId).toBe('@alice:example.org');
    expect(await pairings.redeem('43', code)).toBeUndefined();
  });

  it('a code older than ten minutes pairs nobody', async () => {
    let now = 0;
    const pairings = new Pairings(memoryKv(), () => now);
    const code = await pairings.issueCode('@alice:example.org');
    now = pairingCodeLifetimeMs;
    expect(await pairings.redeem('42', code)).toBeUndefined();
    expect(await pairings.pairingOf('42')).toBeUndefined();
  });

  it('pairing again with someone else says whom it replaced, and unpairing forgets it across restarts', async () => {
    const kv = memoryKv();
    const pairings = new Pairings(kv);
    await pairings.redeem('42', await pairings.issueCode('@alice:example.org'));
    const again = await pairings.redeem('42', await pairings.issueCode('@bob:example.org'));
    expect(again?.replaced).toBe('@alice:example.org');
    expect((await new Pairings(kv).pairingOf('42'))?.matrixUserId).toBe('@bob:example.org');
    expect(await pairings.remove('42')).toBe('@bob:example.org');
    expect(await new Pairings(kv).pairingOf('42')).toBeUndefined();
  });
});
