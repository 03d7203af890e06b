import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { byteLength, messageByteBudget, splitIrcMessage } from './split-lines';
import { mircToInlines } from './mirc-to-ir';
import { stripMircFormatting } from './strip';

describe('splitting messages into IRC lines', () => {
  it('the budget leaves room for the command, target, CRLF and the relayed sender prefix', () => {
    expect(messageByteBudget({ command: 'PRIVMSG', target: '#chan', sourceMask: 'nick!user@host' })).toBe(
      512 - 2 - byteLength('PRIVMSG #chan :') - byteLength(':nick!user@host '),
    );
    expect(messageByteBudget({ command: 'PRIVMSG', target: '#chan', action: true })).toBeLessThan(
      messageByteBudget({ command: 'PRIVMSG', target: '#chan' }),
    );
  });

  it('newlines become separate lines and blank lines are dropped', () => {
    expect(splitIrcMessage('one\r\ntwo\n\nthree\rfour', 400)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('long text is cut at spaces within the byte budget', () => {
    const lines = splitIrcMessage('word '.repeat(100).trim(), 50);
    for (const line of lines) expect(byteLength(line)).toBeLessThanOrEqual(50);
    expect(lines.join(' ')).toBe('word '.repeat(100).trim());
  });

  it('multi-byte characters and emoji are never cut in half', () => {
    const text = '😀'.repeat(40) + 'é'.repeat(40) + '👩‍👩‍👧'.repeat(10);
    const lines = splitIrcMessage(text, 40);
    for (const line of lines) {
      expect(byteLength(line)).toBeLessThanOrEqual(40);
      expect(line).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(lines.join('')).toBe(text);
  });

  it('formatting open at a cut is re-applied on the next line', () => {
    const lines = splitIrcMessage('\x02\x0304' + 'x'.repeat(60), 40);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines)
      expect(mircToInlines(line)).toEqual([
        {
          type: 'color',
          fg: '#ff0000',
          children: [{ type: 'bold', children: [{ type: 'text', text: expect.any(String) }] }],
        },
      ]);
  });

  it('property: lines fit the budget, carry no CR/LF/NUL, and keep all the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 32, max: 450 }),
        (text, budget) => {
          const lines = splitIrcMessage(text, budget);
          for (const line of lines) {
            expect(byteLength(line)).toBeLessThanOrEqual(budget);
            expect(line).not.toMatch(/[\r\n\0]/);
          }
          const plain = (s: string) => stripMircFormatting(s).replace(/[\s\0]/g, '');
          expect(lines.map(plain).join('')).toBe(plain(text.replace(/\0/g, '')));
        },
      ),
      { numRuns: 300 },
    );
  });
});
