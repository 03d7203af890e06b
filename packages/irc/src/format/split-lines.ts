/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * Fit a message into IRC lines. An IRC line is at most 512 bytes including the CRLF, the command,
 * the target and — as the server relays it — the sender's `:nick!user@host ` prefix. Lines are cut
 * at spaces where sensible, never inside a UTF-8 sequence, a surrogate pair or (unless a single
 * grapheme is absurdly long) a grapheme cluster, and never inside a control code. Formatting open at
 * a cut is re-applied at the start of the next line, because IRC resets formatting per line.
 */
import {
  applyToken,
  codesForStyle,
  PLAIN_STYLE,
  tokenizeMirc,
  type MircStyle,
  type MircToken,
} from './mirc-style';
import { neutraliseIrcText } from './neutralise';
import { stripMircFormatting } from './strip';

/** The whole IRC line limit, CRLF included (RFC 1459 §2.3). */
export const IRC_LINE_LIMIT = 512;

/**
 * Room reserved for the `:nick!user@host ` prefix the server adds when relaying, when the actual
 * mask is not known: NICKLEN 30 + USERLEN 10 + HOSTLEN 64 and punctuation, rounded up.
 */
export const DEFAULT_SOURCE_RESERVE = 110;

const MIN_BUDGET = 32;

export interface ByteBudgetInput {
  /** `PRIVMSG` or `NOTICE`. */
  command: string;
  target: string;
  /** The sender's `nick!user@host` when known; otherwise {@link DEFAULT_SOURCE_RESERVE} bytes are kept free. */
  sourceMask?: string;
  /** The text will be wrapped as a CTCP ACTION (`\x01ACTION …\x01`). */
  action?: boolean;
}

/** How many bytes of message text fit in one line for this command and target. */
export function messageByteBudget(input: ByteBudgetInput): number {
  const source =
    input.sourceMask === undefined ? DEFAULT_SOURCE_RESERVE : byteLength(`:${input.sourceMask} `);
  const fixed =
    byteLength(`${input.command} ${input.target} :`) + 2 + (input.action ? byteLength('\x01ACTION \x01') : 0);
  return IRC_LINE_LIMIT - source - fixed;
}

/**
 * Split text (which may contain newlines) into IRC lines of at most `budgetBytes` UTF-8 bytes each.
 * Every returned line is free of CR, LF and NUL and is non-empty.
 */
export function splitIrcMessage(text: string, budgetBytes: number): string[] {
  if (budgetBytes < MIN_BUDGET)
    throw new RangeError(`IRC line budget ${budgetBytes} is below ${MIN_BUDGET} bytes`);
  return text
    .replace(/\0/g, '')
    .split(/\r\n|\r|\n/)
    .flatMap((line) => splitLine(line, budgetBytes))
    .map(neutraliseIrcText)
    .filter((line) => hasVisibleText(line));
}

interface Unit {
  text: string;
  bytes: number;
  control?: Exclude<MircToken, { kind: 'text' }>;
}

function splitLine(line: string, budget: number): string[] {
  // Most chat lines fit: skip the grapheme walk, the largest cost of sending a short message.
  if (byteLength(line) <= budget) return [line];
  const units = toUnits(line, budget);
  const out: string[] = [];
  let style: MircStyle = { ...PLAIN_STYLE };
  let i = 0;
  while (i < units.length) {
    let prefix = codesForStyle(style);
    if (/[\x03\x04][^,]*$/.test(prefix) && units[i]?.text.startsWith(',')) prefix += '\x02\x02';
    let bytes = byteLength(prefix);
    let j = i;
    let lastSpace = -1;
    while (j < units.length && bytes + units[j]!.bytes <= budget) {
      bytes += units[j]!.bytes;
      if (units[j]!.text === ' ') lastSpace = j;
      j++;
    }
    if (j === units.length) {
      out.push(prefix + join(units, i, j));
      break;
    }
    let end = j;
    let next = j;
    // Prefer a cut at a space, unless that would leave the line less than half full.
    if (lastSpace > i && byteLength(join(units, i, lastSpace)) >= budget / 2) {
      end = lastSpace;
      next = lastSpace + 1;
    }
    if (next === i) next = end = i + 1; // cannot happen with MIN_BUDGET, but never loop forever
    out.push(prefix + join(units, i, end));
    for (let k = i; k < next; k++) {
      const control = units[k]!.control;
      if (control) style = applyToken(style, control);
    }
    i = next;
  }
  return out;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function toUnits(line: string, budget: number): Unit[] {
  const units: Unit[] = [];
  for (const token of tokenizeMirc(line)) {
    if (token.kind !== 'text') {
      units.push({ text: token.raw, bytes: byteLength(token.raw), control: token });
      continue;
    }
    for (const { segment } of segmenter.segment(token.text)) {
      const bytes = byteLength(segment);
      // A grapheme of hundreds of combining marks must still be cut somewhere: by code point.
      if (bytes > budget / 4) for (const cp of segment) units.push({ text: cp, bytes: byteLength(cp) });
      else units.push({ text: segment, bytes });
    }
  }
  return units;
}

const join = (units: Unit[], from: number, to: number) =>
  units
    .slice(from, to)
    .map((u) => u.text)
    .join('');

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const hasVisibleText = (line: string) => stripMircFormatting(line).trim() !== '';
