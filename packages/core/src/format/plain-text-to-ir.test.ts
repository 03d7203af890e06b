import { describe, expect, it } from '@jest/globals';
import { irFromText } from './ir-from-text';
import { plainTextToIr, stripPlainReplyFallback } from './plain-text-to-ir';

describe('plainTextToIr', () => {
  it('splits paragraphs at blank lines and keeps single newlines as line breaks', () => {
    expect(plainTextToIr('a\nb\n\nc\r\n').blocks).toEqual([
      {
        type: 'paragraph',
        children: [{ type: 'text', text: 'a' }, { type: 'linebreak' }, { type: 'text', text: 'b' }],
      },
      { type: 'paragraph', children: [{ type: 'text', text: 'c' }] },
    ]);
  });

  it('keeps @room and Markdown-looking text as text', () => {
    expect(plainTextToIr('@room **not bold**').blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '@room **not bold**' }] },
    ]);
  });

  it('strips the reply fallback when asked', () => {
    const body = '> <@alice:example.org> original\n> second line\n>\n\nmy reply';
    expect(plainTextToIr(body, { stripReplyFallback: true }).blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'my reply' }] },
    ]);
    expect(plainTextToIr(body).blocks).toHaveLength(2);
  });

  it('leaves a quote that is not followed by a blank line alone', () => {
    expect(stripPlainReplyFallback('> quoted\nnot a fallback')).toBe('> quoted\nnot a fallback');
    expect(stripPlainReplyFallback('> only a quote')).toBe('> only a quote');
  });

  it('gives no blocks for empty text', () => {
    expect(plainTextToIr('').blocks).toEqual([]);
    expect(irFromText('\n\n').blocks).toEqual([]);
  });
});
