import { describe, expect, it } from '@jest/globals';
import type { KeyValueStore } from '@trestle/core';
import { consentLifetimeMs, LinkConsent } from './link-consent';

function memoryKv(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(ns: string, key: string) => values.get(`${ns}/${key}`) as T | undefined,
    set: async (ns, key, value) => void values.set(`${ns}/${key}`, value),
    delete: async (ns, key) => void values.delete(`${ns}/${key}`),
  };
}

describe('link consent from a Telegram admin', () => {
  it('allows one link of that chat only', async () => {
    const consent = new LinkConsent(memoryKv());
    await consent.grant('-100', 7);
    expect(await consent.take('-200')).toBe(false);
    expect(await consent.take('-100')).toBe(true);
    expect(await consent.take('-100')).toBe(false);
  });

  it('expires after an hour', async () => {
    let now = 1_000_000;
    const consent = new LinkConsent(memoryKv(), () => now);
    await consent.grant('-100', 7);
    now += consentLifetimeMs;
    expect(await consent.take('-100')).toBe(false);
  });

  it('survives a restart (it lives in the key/value store)', async () => {
    const kv = memoryKv();
    await new LinkConsent(kv).grant('-100', 7);
    expect(await new LinkConsent(kv).take('-100')).toBe(true);
  });
});
