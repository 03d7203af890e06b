import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isWireSafe, neutraliseIrcText } from './neutralise';

describe('neutraliseIrcText', () => {
  it('an injected command stays text on the same line', () => {
    expect(neutraliseIrcText('hi\r\nQUIT :bye')).toBe('hi QUIT :bye');
    expect(neutraliseIrcText('\r\nPRIVMSG #other :x')).toBe(' PRIVMSG #other :x');
    expect(neutraliseIrcText('a\0b')).toBe('ab');
  });

  it('property: the output is always safe on the wire', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => isWireSafe(neutraliseIrcText(s))));
  });
});
