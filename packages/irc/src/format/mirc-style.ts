/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * mIRC control codes as a stream of tokens, and the formatting state they produce. Shared by the
 * parser (mIRC -> IR) and the line splitter (which re-applies open formatting on continuation lines).
 */
import { codeForColor, colorForCode, nearestCodeForColor } from './mirc-colors';

export const CONTROL = {
  bold: '\x02',
  color: '\x03',
  hexColor: '\x04',
  reset: '\x0f',
  monospace: '\x11',
  reverse: '\x16',
  italic: '\x1d',
  strike: '\x1e',
  underline: '\x1f',
} as const;

export type ToggleStyle = 'bold' | 'italic' | 'underline' | 'strike' | 'monospace' | 'reverse';

/** The formatting in effect at a point of an IRC line. Colours are `#rrggbb`. */
export interface MircStyle {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  monospace: boolean;
  reverse: boolean;
  fg?: string;
  bg?: string;
}

export const PLAIN_STYLE: Readonly<MircStyle> = Object.freeze({
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  monospace: false,
  reverse: false,
});

export type MircToken =
  | { kind: 'text'; text: string }
  | { kind: 'toggle'; style: ToggleStyle; raw: string }
  /** `fg`/`bg` absent means "unchanged"; `clear` means the bare code that ends all colour. */
  | { kind: 'color'; raw: string; clear: boolean; fg?: string | null; bg?: string | null }
  | { kind: 'reset'; raw: string };

const TOGGLES: Record<string, ToggleStyle> = {
  [CONTROL.bold]: 'bold',
  [CONTROL.italic]: 'italic',
  [CONTROL.underline]: 'underline',
  [CONTROL.strike]: 'strike',
  [CONTROL.monospace]: 'monospace',
  [CONTROL.reverse]: 'reverse',
};

const COLOR_CODE = /^\x03(?:(\d{1,2})(?:,(\d{1,2}))?)?/;
const HEX_COLOR = /^\x04(?:([0-9a-fA-F]{6})(?:,([0-9a-fA-F]{6}))?)?/;
const CONTROL_CHARS = /[\x02\x03\x04\x0f\x11\x16\x1d\x1e\x1f]/;

/** `null` = the default colour (code 99 or out of the palette). */
const paletteColor = (digits: string | undefined): string | null | undefined =>
  digits === undefined ? undefined : (colorForCode(Number(digits)) ?? null);
const hexColor = (hex: string | undefined): string | null | undefined =>
  hex === undefined ? undefined : `#${hex.toLowerCase()}`;

/** Split an IRC line into text runs and control tokens. Never throws. */
export function tokenizeMirc(line: string): MircToken[] {
  const tokens: MircToken[] = [];
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    const next = rest.search(CONTROL_CHARS);
    if (next !== 0) {
      const text = next === -1 ? rest : rest.slice(0, next);
      tokens.push({ kind: 'text', text });
      i += text.length;
      continue;
    }
    const ch = rest[0]!;
    if (TOGGLES[ch]) {
      tokens.push({ kind: 'toggle', style: TOGGLES[ch], raw: ch });
      i += 1;
    } else if (ch === CONTROL.reset) {
      tokens.push({ kind: 'reset', raw: ch });
      i += 1;
    } else {
      const m = (ch === CONTROL.color ? COLOR_CODE : HEX_COLOR).exec(rest)!;
      const convert = ch === CONTROL.color ? paletteColor : hexColor;
      tokens.push({
        kind: 'color',
        raw: m[0],
        clear: m[1] === undefined,
        fg: convert(m[1]),
        bg: convert(m[2]),
      });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The style after applying one control token. */
export function applyToken(style: MircStyle, token: Exclude<MircToken, { kind: 'text' }>): MircStyle {
  switch (token.kind) {
    case 'toggle':
      return { ...style, [token.style]: !style[token.style] };
    case 'reset':
      return { ...PLAIN_STYLE };
    case 'color': {
      if (token.clear) return withColors(style, undefined, undefined);
      const fg = token.fg === undefined ? style.fg : (token.fg ?? undefined);
      const bg = token.bg === undefined ? style.bg : (token.bg ?? undefined);
      return withColors(style, fg, bg);
    }
  }
}

function withColors(style: MircStyle, fg: string | undefined, bg: string | undefined): MircStyle {
  const next: MircStyle = { ...style };
  delete next.fg;
  delete next.bg;
  if (fg !== undefined) next.fg = fg;
  if (bg !== undefined) next.bg = bg;
  return next;
}

/** Control codes that turn a plain line into `style` (used to resume formatting on a new line). */
export function codesForStyle(style: MircStyle): string {
  let out = '';
  if (style.fg !== undefined || style.bg !== undefined) out += colorCode(style.fg, style.bg);
  for (const [ch, name] of Object.entries(TOGGLES)) if (style[name]) out += ch;
  return out;
}

/**
 * The shortest code setting exactly these colours. Palette colours use `\x03` with two digits
 * (so a following digit is never read as part of the code); others use the hex form `\x04`.
 */
export function colorCode(fg: string | undefined, bg: string | undefined): string {
  if (fg === undefined && bg === undefined) return CONTROL.color;
  // The hex form cannot say "default foreground", so a background alone always uses the palette.
  if (fg === undefined) return CONTROL.color + '99,' + pad2(nearestCodeForColor(bg!));
  const fgCode = fg === undefined ? 99 : codeForColor(fg);
  const bgCode = bg === undefined ? undefined : codeForColor(bg);
  if (fgCode !== undefined && (bg === undefined || bgCode !== undefined)) {
    return CONTROL.color + pad2(fgCode) + (bgCode === undefined ? '' : ',' + pad2(bgCode));
  }
  const hex = (c: string) => c.slice(1).toUpperCase();
  return CONTROL.hexColor + hex(fg) + (bg === undefined ? '' : ',' + hex(bg));
}

const pad2 = (n: number) => String(n).padStart(2, '0');
