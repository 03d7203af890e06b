import { describe, expect, it } from '@jest/globals';
import type { RemoteMedia } from '@trestle/core';
import { PhotoCache } from './photo-cache';

const media = (key: string): RemoteMedia => ({ key, fetch: async () => Buffer.from(key) });

describe('photo cache', () => {
  it('a remembered photo (a chat photo change) is answered without asking Telegram', async () => {
    let lookups = 0;
    const cache = new PhotoCache(
      async () => (lookups++, media('old')),
      () => {},
      60_000,
    );
    cache.remember('-100', media('new'));
    expect((await cache.photoOf('-100'))?.key).toBe('new');
    cache.remember('-100', null);
    expect(await cache.photoOf('-100')).toBeNull();
    expect(lookups).toBe(0);
  });

  it('a photo remembered while a lookup is on its way wins over what the lookup answers', async () => {
    let answer!: (photo: RemoteMedia) => void;
    const cache = new PhotoCache(
      () => new Promise<RemoteMedia>((resolve) => (answer = resolve)),
      () => {},
      0,
    );
    const looking = cache.photoOf('-100');
    await new Promise((r) => setTimeout(r, 5));
    cache.remember('-100', null);
    answer(media('stale'));
    expect(await looking).toBeNull();
  });
});
