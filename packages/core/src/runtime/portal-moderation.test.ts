import { describe, expect, it } from '@jest/globals';
import { mergeLevels } from './portal-moderation';

describe('merging power levels', () => {
  it('sets new levels and removes entries set to 0', () => {
    expect(mergeLevels({ '@bot:hs': 100, '@old:hs': 50 }, { '@new:hs': 50, '@old:hs': 0 })).toEqual({
      '@bot:hs': 100,
      '@new:hs': 50,
    });
  });

  it('reports no change when every level is already as asked (no state event is sent)', () => {
    expect(mergeLevels({ '@a:hs': 50 }, { '@a:hs': 50, '@b:hs': 0 })).toBeUndefined();
  });
});
