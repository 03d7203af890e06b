import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { escapeLocalpart, unescapeLocalpart } from './localpart';

describe('localpart escaping', () => {
  it('turns IRC nicks and Discord ids into valid localparts', () => {
    expect(escapeLocalpart('libera/Alice_')).toBe('libera/_alice__');
    expect(escapeLocalpart('123456789012345678')).toBe('123456789012345678');
    expect(escapeLocalpart('a b')).toBe('a=20b');
  });
  it('only ever produces characters Matrix allows, and round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const lp = escapeLocalpart(s);
        expect(lp).toMatch(/^[a-z0-9\-./=_]*$/);
        expect(unescapeLocalpart(lp)).toBe(s);
      }),
    );
  });
});
