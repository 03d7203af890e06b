import { describe, expect, it } from '@jest/globals';
import type { Inline, RichText } from './ir';
import { irToPlainText } from './ir-to-plain-text';

const text = (t: string): Inline => ({ type: 'text', text: t });
const para = (...children: Inline[]): RichText => ({ blocks: [{ type: 'paragraph', children }] });

describe('irToPlainText', () => {
  it('drops inline formatting and keeps the words', () => {
    expect(
      irToPlainText(para(text('a '), { type: 'bold', children: [text('b')] }, { type: 'code', text: ' c' })),
    ).toBe('a b c');
  });

  it('hides spoilers by default, as the spec asks of body, and reveals them on request', () => {
    const ir = para(text('it was '), { type: 'spoiler', children: [text('him')] });
    expect(irToPlainText(ir)).toBe('it was [Spoiler]');
    expect(irToPlainText(ir, { spoilers: 'reveal' })).toBe('it was him');
  });

  it('writes links as text (url), and a bare URL or a pill link once', () => {
    expect(irToPlainText(para({ type: 'link', href: 'https://e.org', children: [text('site')] }))).toBe(
      'site (https://e.org)',
    );
    expect(
      irToPlainText(para({ type: 'link', href: 'https://e.org', children: [text('https://e.org')] })),
    ).toBe('https://e.org');
    expect(
      irToPlainText(para({ type: 'link', href: 'https://matrix.to/#/@a:b.c', children: [text('A')] })),
    ).toBe('A');
    expect(irToPlainText(para({ type: 'link', href: 'javascript:x', children: [text('t')] }))).toBe('t');
  });

  it('writes mentions as their text, or as the resolver says', () => {
    const ir = para({ type: 'mention', target: { kind: 'user', matrixId: '@a:b.c' }, text: 'Ann' });
    expect(irToPlainText(ir)).toBe('Ann');
    expect(irToPlainText(ir, { resolveMention: () => ({ text: '@ann' }) })).toBe('@ann');
  });

  it('writes emoji as their fallback', () => {
    expect(irToPlainText(para({ type: 'emoji', name: 'cat', fallback: '' }))).toBe(':cat:');
  });

  it('separates paragraphs with a blank line and keeps line breaks', () => {
    const ir: RichText = {
      blocks: [
        { type: 'paragraph', children: [text('a'), { type: 'linebreak' }, text('b')] },
        { type: 'paragraph', children: [text('c')] },
      ],
    };
    expect(irToPlainText(ir)).toBe('a\nb\n\nc');
  });

  it('prefixes quotes, numbers lists from start and indents nested items', () => {
    const ir: RichText = {
      blocks: [
        {
          type: 'quote',
          children: [{ type: 'paragraph', children: [text('q1'), { type: 'linebreak' }, text('q2')] }],
        },
        {
          type: 'list',
          ordered: true,
          start: 9,
          items: [
            [{ type: 'paragraph', children: [text('nine')] }],
            [
              { type: 'paragraph', children: [text('ten')] },
              { type: 'list', ordered: false, items: [[{ type: 'paragraph', children: [text('sub')] }]] },
            ],
          ],
        },
        { type: 'rule' },
        { type: 'codeblock', language: 'sh', text: 'ls -l' },
      ],
    };
    expect(irToPlainText(ir)).toBe('> q1\n> q2\n\n9. nine\n10. ten\n    - sub\n\n---\n\nls -l');
  });
});
