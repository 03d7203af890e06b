/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Inline, RichText } from '@trestle/core';
import { irToMircLines } from './ir-to-mirc';
import { mircToIr } from './mirc-to-ir';
import { MIRC_PALETTE } from './mirc-colors';

/** Flatten inline IR to (character, style) pairs: two trees that render the same compare equal. */
function styledChars(inlines: Inline[], style = ''): string[] {
  return inlines.flatMap((node): string[] => {
    switch (node.type) {
      case 'text':
        return [...node.text].map((ch) => `${style}|${ch}`);
      case 'code':
        return [...node.text].map((ch) => `${style}code|${ch}`);
      case 'color':
        return styledChars(node.children, `${style}color(${node.fg},${node.bg});`);
      case 'bold':
      case 'italic':
      case 'underline':
      case 'strike':
      case 'spoiler':
        return styledChars(node.children, `${style}${node.type};`);
      default:
        throw new Error(`not generated: ${node.type}`);
    }
  });
}

const plainText = fc.string({
  minLength: 1,
  maxLength: 8,
  unit: fc.constantFrom(...[...'abc XYZ 123,.é😀']),
});
const paletteColor = fc.constantFrom(...MIRC_PALETTE.slice(2, 16));
const hexColor = fc.integer({ min: 0, max: 0xffffff }).map((n) => '#' + n.toString(16).padStart(6, '0'));

/** IR that IRC can express: text, the five toggles, colours (palette and hex), spoilers. */
const expressibleInline: fc.Arbitrary<Inline> = fc.letrec<{ inline: Inline }>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plainText.map((text): Inline => ({ type: 'text', text })),
    plainText.map((text): Inline => ({ type: 'code', text })),
    fc
      .tuple(
        fc.constantFrom('bold', 'italic', 'underline', 'strike', 'spoiler') as fc.Arbitrary<
          'bold' | 'italic' | 'underline' | 'strike' | 'spoiler'
        >,
        fc.array(tie('inline'), { minLength: 1, maxLength: 3 }),
      )
      .map(([type, children]): Inline => ({ type, children })),
    fc
      .tuple(
        fc.oneof(paletteColor, hexColor),
        fc.option(paletteColor, { nil: undefined }),
        fc.array(tie('inline'), { minLength: 1, maxLength: 3 }),
      )
      .map(([fg, bg, children]): Inline => ({
        type: 'color',
        fg,
        ...(bg !== undefined && bg !== fg && { bg }),
        children,
      })),
  ),
})).inline;

/** Style as IRC sees it: inner colours override outer ones per channel (fg, bg); a spoiler is black on black. */
function effective(chars: string[]): string[] {
  return chars.map((entry) => {
    const cut = entry.lastIndexOf('|');
    const parts = entry.slice(0, cut).split(';').filter(Boolean);
    let fg: string | undefined;
    let bg: string | undefined;
    for (const part of parts) {
      if (part === 'spoiler') fg = bg = '#000000';
      const m = /^color\((.*),(.*)\)$/.exec(part);
      if (m) {
        if (m[1] !== 'undefined') fg = m[1];
        if (m[2] !== 'undefined') bg = m[2];
      }
    }
    const colour = fg === undefined && bg === undefined ? [] : [fg === bg ? 'spoiler' : `color(${fg},${bg})`];
    const rest = [...new Set(parts.filter((p) => p !== 'spoiler' && !p.startsWith('color(')))].sort();
    return [...colour, ...rest].join(';') + entry.slice(cut);
  });
}

describe('IR <-> mIRC round trip', () => {
  it('property: what IRC can express survives IR -> mIRC -> IR', () => {
    fc.assert(
      fc.property(fc.array(expressibleInline, { minLength: 1, maxLength: 4 }), (inlines) => {
        // A message with nothing visible is not sent at all, so there is nothing to round-trip.
        fc.pre(styledChars(inlines).some((c) => !/\|\s$/.test(c)));
        const doc: RichText = { blocks: [{ type: 'paragraph', children: inlines }] };
        const lines = irToMircLines(doc);
        const back = lines.length ? mircToIr(lines[0]!) : { blocks: [] };
        const children = back.blocks[0]?.type === 'paragraph' ? back.blocks[0].children : [];
        expect(effective(styledChars(children))).toEqual(effective(styledChars(inlines)));
      }),
      { numRuns: 300 },
    );
  });

  it('property: parsing arbitrary IRC text never throws and yields no control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const doc = mircToIr(s);
        expect(JSON.stringify(doc)).not.toMatch(/\\u000[0-8]|\\u00(0[b-f]|1[0-9a-f])|\\r|\\n/);
      }),
    );
  });

  it('property: rendering arbitrary IR text never throws and never emits CR, LF or NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        for (const line of irToMircLines({
          blocks: [
            { type: 'paragraph', children: [{ type: 'text', text: s }] },
            { type: 'codeblock', text: s },
          ],
        })) {
          expect(line).not.toMatch(/[\r\n\0\x01]/);
        }
      }),
    );
  });
});
