import { describe, expect, it } from '@jest/globals';
import type { RichText } from '@trestle/core';
import { irToMircLines } from './ir-to-mirc';

const para = (
  ...children: RichText['blocks'][number] extends infer B
    ? B extends { type: 'paragraph'; children: infer C }
      ? C
      : never
    : never
): RichText => ({
  blocks: [{ type: 'paragraph', children }],
});

describe('IR -> mIRC', () => {
  it('styles become control codes, closed where they end', () => {
    expect(
      irToMircLines(
        para({ type: 'bold', children: [{ type: 'text', text: 'b' }] }, { type: 'text', text: ' x' }),
      ),
    ).toEqual(['\x02b\x02 x']);
  });

  it('nested same styles do not toggle off early', () => {
    expect(
      irToMircLines(
        para({
          type: 'bold',
          children: [
            { type: 'text', text: 'a' },
            { type: 'bold', children: [{ type: 'text', text: 'b' }] },
            { type: 'text', text: 'c' },
          ],
        }),
      ),
    ).toEqual(['\x02abc\x02']);
  });

  it('palette colours use two-digit codes; others use hex', () => {
    expect(
      irToMircLines(para({ type: 'color', fg: '#FF0000', children: [{ type: 'text', text: '1st' }] })),
    ).toEqual(['\x03041st\x03']);
    expect(
      irToMircLines(
        para({ type: 'color', fg: '#123456', bg: '#abcdef', children: [{ type: 'text', text: 'x' }] }),
      ),
    ).toEqual(['\x04123456,ABCDEFx\x03']);
  });

  it('a comma right after a colour code is kept as text', () => {
    const [line] = irToMircLines(
      para({ type: 'color', fg: '#ff0000', children: [{ type: 'text', text: ',5' }] }),
    );
    expect(line).toBe('\x0304\x02\x02,5\x03');
  });

  it('mentions become the nick; links show their URL unless the text is the URL', () => {
    expect(
      irToMircLines(
        para(
          { type: 'mention', target: { kind: 'user', remoteId: 'libera.alice' }, text: 'Alice (IRC)' },
          { type: 'text', text: ': see ' },
          { type: 'link', href: 'https://a.example', children: [{ type: 'text', text: 'the docs' }] },
          { type: 'text', text: ' or ' },
          {
            type: 'link',
            href: 'https://b.example',
            children: [{ type: 'text', text: 'https://b.example' }],
          },
        ),
      ),
    ).toEqual(['alice: see the docs (https://a.example) or https://b.example']);
  });

  it('code blocks, quotes, lists and headings become readable lines', () => {
    const doc: RichText = {
      blocks: [
        { type: 'heading', level: 2, children: [{ type: 'text', text: 'Title' }] },
        { type: 'codeblock', text: 'let x = 1;\n\nx++\n' },
        { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'quoted' }] }] },
        {
          type: 'list',
          ordered: false,
          items: [
            [{ type: 'paragraph', children: [{ type: 'text', text: 'one' }] }],
            [{ type: 'paragraph', children: [{ type: 'text', text: 'two' }] }],
          ],
        },
        {
          type: 'list',
          ordered: true,
          start: 3,
          items: [[{ type: 'paragraph', children: [{ type: 'text', text: 'three' }] }]],
        },
      ],
    };
    expect(irToMircLines(doc)).toEqual([
      '\x02Title\x02',
      '\x11let x = 1;\x11',
      '\x11x++\x11',
      '> quoted',
      '- one',
      '- two',
      '3. three',
    ]);
  });

  it('spoilers are text coloured like their background', () => {
    expect(irToMircLines(para({ type: 'spoiler', children: [{ type: 'text', text: 'secret' }] }))).toEqual([
      '\x0301,01secret\x03',
    ]);
  });

  it('line breaks start a new line with the formatting re-opened', () => {
    expect(
      irToMircLines(
        para({
          type: 'bold',
          children: [{ type: 'text', text: 'a' }, { type: 'linebreak' }, { type: 'text', text: 'b' }],
        }),
      ),
    ).toEqual(['\x02a\x02', '\x02b\x02']);
  });

  it('control characters in Matrix text cannot reach IRC (no CTCP or formatting injection)', () => {
    expect(irToMircLines(para({ type: 'text', text: '\x01ACTION evil\x01 \x02x\x00' }))).toEqual([
      'ACTION evil x',
    ]);
  });
});
