/**
 * Escaping user text for Discord so it shows literally: markdown characters get a backslash,
 * `<` cannot start a mention, emoji or timestamp, line-start markers cannot start a heading, quote
 * or list, and `@everyone` / `@here` are split with a zero-width space so they ping nobody even if
 * `allowed_mentions` were missing.
 */

const ZERO_WIDTH_SPACE = '\u200b';
/** Same URL shape the parser autolinks; URLs are left unescaped so they stay clickable. */
const URL_PATTERN = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/gi;
const ALWAYS_ESCAPED = /[\\*_~|`<[\]]/g;
const MASS_MENTION = /@(everyone|here)/g;

/** Defuse `@everyone` and `@here` (Discord needs the exact word after `@`). */
export function neutraliseMassMentions(text: string): string {
  return text.replace(MASS_MENTION, `@${ZERO_WIDTH_SPACE}$1`);
}

/**
 * Escape text so Discord renders it as typed. `lineStart` says whether the text begins a line
 * (where `#`, `>`, `-` and `1.` mean something).
 */
export function escapeDiscordText(text: string, lineStart: boolean): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    out += escapePlain(text.slice(last, start), last === 0 ? lineStart : false);
    out += renderUrl(match[0], text[start + match[0].length]);
    last = start + match[0].length;
  }
  return out + escapePlain(text.slice(last), last === 0 ? lineStart : false);
}

/**
 * Emit a URL so the parser reads back exactly it: bare when whitespace (or nothing) follows,
 * in `<…>` when another character would otherwise extend it, and defused to text (`http\:`)
 * when it holds a `>` that would end the brackets early.
 */
function renderUrl(url: string, next: string | undefined): string {
  // Discord pings @everyone even inside a link, so links are defused too.
  const safe = neutraliseMassMentions(url);
  if (next === undefined || /\s/.test(next)) return safe;
  if (!url.includes('>')) return `<${safe}>`;
  return escapePlain(url, false).replace(/:/g, '\\:');
}

/** Escape text without URLs; `lineStart` says whether its first line begins a line. */
function escapePlain(text: string, lineStart: boolean): string {
  if (text === '') return '';
  const escaped = neutraliseMassMentions(text.replace(ALWAYS_ESCAPED, '\\$&'));
  return escaped
    .split('\n')
    .map((line, i) => (i > 0 || lineStart ? escapeLineStart(line) : line))
    .join('\n');
}

/** `#`, `>`, `-` and `1.` open blocks only at the start of a line (after optional spaces). */
function escapeLineStart(line: string): string {
  const m = /^( *)([#>-]|\d{1,9}\.)/.exec(line);
  if (!m) return line;
  const marker = m[2]!;
  const escapedMarker = marker.endsWith('.') ? `${marker.slice(0, -1)}\\.` : `\\${marker}`;
  return m[1] + escapedMarker + line.slice(m[0].length);
}
