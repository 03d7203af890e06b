/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * mIRC control codes -> IR. IRC formatting is a flat state machine (toggles and colours until
 * changed or reset); the IR is a tree. Runs of text with their style are nested in a fixed order
 * (colour, bold, italic, underline, strike, monospace), and neighbouring runs that share an outer
 * style share its node, so `\x02a \x1db\x1d c\x02` becomes bold[a, italic[b], c].
 */
import type { Inline, RichText } from '@trestle/core';
import { applyToken, PLAIN_STYLE, tokenizeMirc, type MircStyle } from './mirc-style';
import { linkifyText } from './linkify';

interface Run {
  style: MircStyle;
  text: string;
}

/** Parse one IRC message (one line) into a single-paragraph IR document. Never throws. */
export function mircToIr(line: string): RichText {
  const children = mircToInlines(line);
  return { blocks: children.length ? [{ type: 'paragraph', children }] : [] };
}

/** Parse one IRC line into inline IR nodes. */
export function mircToInlines(line: string): Inline[] {
  // A line from the wire has no CR/LF/NUL; be safe if a caller passes one anyway.
  const clean = line.replace(/[\r\n]+/g, ' ').replace(/\0/g, '');
  const runs: Run[] = [];
  let style: MircStyle = { ...PLAIN_STYLE };
  for (const token of tokenizeMirc(clean)) {
    if (token.kind === 'text') {
      const text = stripOtherControls(token.text);
      if (text) runs.push({ style: effectiveStyle(style), text });
    } else {
      style = applyToken(style, token);
    }
  }
  return buildLayer(runs, 0);
}

/** Other C0 controls (CTCP's \x01, bells …) carry no meaning in message text. */
const stripOtherControls = (text: string) => text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');

/** Reverse swaps foreground and background; the defaults are black text on white. */
function effectiveStyle(style: MircStyle): MircStyle {
  if (!style.reverse) return style;
  return { ...style, reverse: false, fg: style.bg ?? '#ffffff', bg: style.fg ?? '#000000' };
}

type Layer = {
  /** Runs with equal keys share one node at this layer; `undefined` = the layer is off. */
  key(style: MircStyle): string | undefined;
  wrap(style: MircStyle, children: Inline[]): Inline;
};

const isSpoiler = (s: MircStyle) => s.fg !== undefined && s.fg === s.bg;

const LAYERS: Layer[] = [
  {
    key: (s) => (s.fg === undefined && s.bg === undefined ? undefined : `${s.fg}/${s.bg}`),
    // Text in the same colour as its background is IRC's spoiler convention.
    wrap: (s, children) =>
      isSpoiler(s)
        ? { type: 'spoiler', children }
        : {
            type: 'color',
            ...(s.fg !== undefined && { fg: s.fg }),
            ...(s.bg !== undefined && { bg: s.bg }),
            children,
          },
  },
  simpleLayer('bold'),
  simpleLayer('italic'),
  simpleLayer('underline'),
  simpleLayer('strike'),
];

function simpleLayer(name: 'bold' | 'italic' | 'underline' | 'strike'): Layer {
  return {
    key: (s) => (s[name] ? name : undefined),
    wrap: (_s, children) => ({ type: name === 'strike' ? 'strike' : name, children }),
  };
}

function buildLayer(runs: Run[], depth: number): Inline[] {
  if (depth === LAYERS.length) return leaves(runs);
  const layer = LAYERS[depth]!;
  const out: Inline[] = [];
  let i = 0;
  while (i < runs.length) {
    const key = layer.key(runs[i]!.style);
    let j = i + 1;
    while (j < runs.length && layer.key(runs[j]!.style) === key) j++;
    const group = runs.slice(i, j);
    const inner = buildLayer(group, depth + 1);
    if (key === undefined) out.push(...inner);
    else out.push(layer.wrap(group[0]!.style, inner));
    i = j;
  }
  return out;
}

/** The innermost level: monospace runs become code, the rest text with URLs linked. */
function leaves(runs: Run[]): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < runs.length) {
    const mono = runs[i]!.style.monospace;
    let text = '';
    while (i < runs.length && runs[i]!.style.monospace === mono) text += runs[i++]!.text;
    if (mono) out.push({ type: 'code', text });
    else out.push(...linkifyText(text));
  }
  return out;
}
