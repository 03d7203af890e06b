import { describe, expect, it } from '@jest/globals';
import { mircToIr, mircToInlines } from './mirc-to-ir';

describe('mIRC -> IR', () => {
  it('bold, italic, underline, strikethrough and monospace become their IR nodes', () => {
    expect(mircToInlines('\x02b\x02 \x1di\x1d \x1fu\x1f \x1es\x1e \x11m\x11')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'i' }] },
      { type: 'text', text: ' ' },
      { type: 'underline', children: [{ type: 'text', text: 'u' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 's' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'm' },
    ]);
  });

  it('overlapping formatting nests, sharing the outer node', () => {
    expect(mircToInlines('\x02a \x1db\x1d c\x02')).toEqual([
      {
        type: 'bold',
        children: [
          { type: 'text', text: 'a ' },
          { type: 'italic', children: [{ type: 'text', text: 'b' }] },
          { type: 'text', text: ' c' },
        ],
      },
    ]);
  });

  it('palette colours map to the standard hex table, including the extended 16–98', () => {
    expect(mircToInlines('\x034red\x03 \x0304,12on blue\x03 \x0352x')).toEqual([
      { type: 'color', fg: '#ff0000', children: [{ type: 'text', text: 'red' }] },
      { type: 'text', text: ' ' },
      { type: 'color', fg: '#ff0000', bg: '#0000fc', children: [{ type: 'text', text: 'on blue' }] },
      { type: 'text', text: ' ' },
      { type: 'color', fg: '#ff0000', children: [{ type: 'text', text: 'x' }] },
    ]);
  });

  it('a colour code takes at most two digits, so following digits stay text', () => {
    expect(mircToInlines('\x031234')).toEqual([
      { type: 'color', fg: '#0000fc', children: [{ type: 'text', text: '34' }] },
    ]);
  });

  it('hex colours (\\x04) are read with an optional background', () => {
    expect(mircToInlines('\x04FF8800orange\x04 \x04112233,445566both')).toEqual([
      { type: 'color', fg: '#ff8800', children: [{ type: 'text', text: 'orange' }] },
      { type: 'text', text: ' ' },
      { type: 'color', fg: '#112233', bg: '#445566', children: [{ type: 'text', text: 'both' }] },
    ]);
  });

  it('colour 99 means the default colour', () => {
    expect(mircToInlines('\x0399plain')).toEqual([{ type: 'text', text: 'plain' }]);
  });

  it('reset (\\x0F) ends all formatting', () => {
    expect(mircToInlines('\x02\x1d\x034x\x0fy')).toEqual([
      {
        type: 'color',
        fg: '#ff0000',
        children: [{ type: 'bold', children: [{ type: 'italic', children: [{ type: 'text', text: 'x' }] }] }],
      },
      { type: 'text', text: 'y' },
    ]);
  });

  it('reverse swaps foreground and background', () => {
    expect(mircToInlines('\x16rev')).toEqual([
      { type: 'color', fg: '#ffffff', bg: '#000000', children: [{ type: 'text', text: 'rev' }] },
    ]);
  });

  it('text coloured like its background becomes a spoiler', () => {
    expect(mircToInlines('\x0301,01secret\x03')).toEqual([
      { type: 'spoiler', children: [{ type: 'text', text: 'secret' }] },
    ]);
  });

  it('bare URLs become links, leaving sentence punctuation outside', () => {
    expect(mircToInlines('see https://example.org/a_(b). ok')).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'link',
        href: 'https://example.org/a_(b)',
        children: [{ type: 'text', text: 'https://example.org/a_(b)' }],
      },
      { type: 'text', text: '. ok' },
    ]);
  });

  it('a line of only codes is an empty document', () => {
    expect(mircToIr('\x02\x02\x03')).toEqual({ blocks: [] });
  });
});
