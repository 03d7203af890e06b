/**
 * Discord's inline markdown -> IR inlines. A scanner walks the text once; at each position it tries
 * the rules in Discord's precedence order (escapes, code, mentions and emoji, links, then the
 * paired delimiters) and otherwise takes one character of text. Delimited spans are parsed
 * recursively, so nesting works the way Discord's client renders it.
 */
import type { Inline } from '@trestle/core';
import type { DiscordNameResolver } from './name-resolver';

export interface InlineParseOptions {
  names: DiscordNameResolver;
  /** CDN base for custom emoji images, e.g. `https://cdn.discordapp.com`. */
  cdnBase: string;
}

/** Paired delimiters, longest first so `**` wins over `*` and `__` over `_`. */
const DELIMITED: Array<{ delim: string; type: 'bold' | 'italic' | 'underline' | 'strike' | 'spoiler' }> = [
  { delim: '**', type: 'bold' },
  { delim: '__', type: 'underline' },
  { delim: '~~', type: 'strike' },
  { delim: '||', type: 'spoiler' },
  { delim: '*', type: 'italic' },
  { delim: '_', type: 'italic' },
];

/**
 * The first characters of every rule in {@link InlineScanner.matchAt}: escapes, line breaks, code,
 * angle-bracket syntax, mass mentions, masked and bare links, and the delimiters. Any other character
 * is text.
 */
const MAY_START_SYNTAX = new Set([
  '\\',
  '\n',
  '`',
  '<',
  '@',
  '[',
  'h',
  'H',
  ...DELIMITED.map((d) => d.delim[0]!),
]);

/** Characters a backslash escapes in Discord (anything but letters, digits and whitespace). */
const ESCAPABLE = /[^0-9A-Za-z\s]/;
const URL_START = /^https?:\/\//i;
/** A URL ends at whitespace or `<`; trailing punctuation is left out, as Discord does. */
const URL_BODY = /^https?:\/\/[^\s<]+[^<.,:;"')\]\s]/i;

export function parseInline(text: string, options: InlineParseOptions): Inline[] {
  return new InlineScanner(text, options).parse();
}

class InlineScanner {
  private readonly out: Inline[] = [];
  private pending = '';

  constructor(
    private readonly src: string,
    private readonly options: InlineParseOptions,
  ) {}

  parse(): Inline[] {
    const src = this.src;
    let i = 0;
    // Plain text is taken a run at a time, as one slice of the source: a string grown a character
    // at a time is a chain of one V8 string per character, kept with the message until it is sent.
    let runStart = 0;
    while (i < src.length) {
      if (!MAY_START_SYNTAX.has(src[i]!)) {
        i += 1;
        continue;
      }
      if (runStart < i) this.pending += src.slice(runStart, i);
      const matched = this.matchAt(i);
      if (matched) {
        if (matched.node) this.push(matched.node);
        i = matched.end;
        runStart = i;
      } else {
        runStart = i;
        i += 1;
      }
    }
    if (runStart < src.length) this.pending += src.slice(runStart);
    this.flush();
    return this.out;
  }

  /** Syntax starting at `i` (whose character is in {@link MAY_START_SYNTAX}), or undefined for text. */
  private matchAt(i: number): { node?: Inline; text?: string; end: number } | undefined {
    const src = this.src;
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && ESCAPABLE.test(src[i + 1]!)) {
      this.pending += src[i + 1];
      return { end: i + 2 };
    }
    if (c === '\n') return { node: { type: 'linebreak' }, end: i + 1 };
    if (c === '`') return this.code(i);
    if (c === '<') return this.angle(i);
    if (c === '@') return this.massMention(i);
    if (c === '[') return this.maskedLink(i);
    if ((c === 'h' || c === 'H') && URL_START.test(src.slice(i, i + 8))) return this.bareUrl(i);
    for (const { delim, type } of DELIMITED) {
      if (!src.startsWith(delim, i)) continue;
      const span = this.delimited(i, delim);
      if (span) return { node: { type, children: parseInline(span.inner, this.options) }, end: span.end };
    }
    return undefined;
  }

  /** `` `code` `` or ``` ``code`` ```; a fence that never closes is plain text. */
  private code(i: number) {
    let ticks = 0;
    while (this.src[i + ticks] === '`') ticks += 1;
    const fence = '`'.repeat(ticks);
    const close = this.src.indexOf(fence, i + ticks);
    if (close < 0 || close === i + ticks) return undefined;
    let inner = this.src.slice(i + ticks, close);
    // Double-backtick spans may pad their content with one space to hold a backtick at the edge.
    if (ticks > 1 && inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' '))
      inner = inner.slice(1, -1);
    return { node: { type: 'code', text: inner } as Inline, end: close + ticks };
  }

  /** Mentions, custom emoji, timestamps and `<https://…>` links, all written in angle brackets. */
  private angle(i: number) {
    const close = this.src.indexOf('>', i);
    if (close < 0) return undefined;
    const body = this.src.slice(i + 1, close);
    const end = close + 1;
    const { names } = this.options;
    let m: RegExpExecArray | null;
    if ((m = /^@!?(\d{1,20})$/.exec(body))) {
      const name = names.user?.(m[1]!) ?? m[1]!;
      return {
        node: { type: 'mention', target: { kind: 'user', remoteId: m[1]! }, text: `@${name}` } as Inline,
        end,
      };
    }
    if ((m = /^@&(\d{1,20})$/.exec(body))) {
      const name = names.role?.(m[1]!) ?? m[1]!;
      return {
        node: { type: 'mention', target: { kind: 'role', remoteId: m[1]! }, text: `@${name}` } as Inline,
        end,
      };
    }
    if ((m = /^#(\d{1,20})$/.exec(body))) {
      const name = names.channel?.(m[1]!) ?? m[1]!;
      return {
        node: { type: 'mention', target: { kind: 'channel', remoteId: m[1]! }, text: `#${name}` } as Inline,
        end,
      };
    }
    if ((m = /^(a?):(\w{2,32}):(\d{1,20})$/.exec(body))) {
      const animated = m[1] === 'a';
      const url = `${this.options.cdnBase}/emojis/${m[3]}.${animated ? 'gif' : 'png'}`;
      return { node: { type: 'emoji', name: m[2]!, url, fallback: `:${m[2]}:` } as Inline, end };
    }
    if ((m = /^t:(-?\d{1,13})(?::([tTdDfFR]))?$/.exec(body))) {
      return { node: { type: 'text', text: formatTimestamp(Number(m[1]), m[2]) } as Inline, end };
    }
    if (URL_START.test(body) && !/\s/.test(body)) {
      return { node: { type: 'link', href: body, children: [{ type: 'text', text: body }] } as Inline, end };
    }
    return undefined;
  }

  private massMention(i: number) {
    const m = /^@(everyone|here)/.exec(this.src.slice(i, i + 9));
    if (!m) return undefined;
    return {
      node: { type: 'mention', target: { kind: 'everyone' }, text: m[0] } as Inline,
      end: i + m[0].length,
    };
  }

  /** `[text](https://url)`; Discord only masks http(s) links. */
  private maskedLink(i: number) {
    const closeText = this.findUnescaped(']', i + 1);
    if (closeText < 0 || this.src[closeText + 1] !== '(') return undefined;
    const closeUrl = this.src.indexOf(')', closeText + 2);
    if (closeUrl < 0) return undefined;
    const href = this.src
      .slice(closeText + 2, closeUrl)
      .trim()
      .replace(/^<(.*)>$/, '$1');
    const label = this.src.slice(i + 1, closeText);
    if (!URL_START.test(href) || /\s/.test(href) || label.length === 0) return undefined;
    return {
      node: { type: 'link', href, children: parseInline(label, this.options) } as Inline,
      end: closeUrl + 1,
    };
  }

  private bareUrl(i: number) {
    const m = URL_BODY.exec(this.src.slice(i));
    if (!m) return undefined;
    return {
      node: { type: 'link', href: m[0], children: [{ type: 'text', text: m[0] }] } as Inline,
      end: i + m[0].length,
    };
  }

  /**
   * The span between `delim` at `start` and its closing twin: not empty, not starting with
   * whitespace for `*`, and for `_` only at word boundaries (so snake_case stays text).
   */
  private delimited(start: number, delim: string): { inner: string; end: number } | undefined {
    const src = this.src;
    const from = start + delim.length;
    if (from >= src.length) return undefined;
    if (delim === '*' && /\s/.test(src[from]!)) return undefined;
    if (delim === '_' && start > 0 && /\w/.test(src[start - 1]!)) return undefined;
    let j = from;
    while (j < src.length) {
      const c = src[j]!;
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '`') {
        const code = this.code(j);
        if (code) {
          j = code.end;
          continue;
        }
      }
      // Inside `*…*` a `**` pair belongs to a nested bold span (likewise `__` inside `_…_`).
      if (delim.length === 1 && src.startsWith(delim + delim, j)) {
        j += 2;
        continue;
      }
      if (src.startsWith(delim, j) && j > from && this.closes(j, delim)) {
        return { inner: src.slice(from, j), end: j + delim.length };
      }
      j += 1;
    }
    return undefined;
  }

  private closes(j: number, delim: string): boolean {
    const after = this.src[j + delim.length];
    // A closer followed by one more delimiter character leaves that character inside:
    // `***x***` is bold around `*x*`, not bold `*x` and a stray `*`.
    if (after === delim[0]) return false;
    if (delim === '_' && after !== undefined && /\w/.test(after)) return false;
    if (delim === '*' && /\s/.test(this.src[j - 1]!)) return false;
    return true;
  }

  private findUnescaped(ch: string, from: number): number {
    for (let j = from; j < this.src.length; j += 1) {
      if (this.src[j] === '\\') j += 1;
      else if (this.src[j] === ch) return j;
      else if (this.src[j] === '\n') return -1;
    }
    return -1;
  }

  private push(node: Inline): void {
    if (node.type === 'text') {
      this.pending += node.text;
      return;
    }
    this.flush();
    this.out.push(node);
  }

  private flush(): void {
    if (!this.pending) return;
    const last = this.out[this.out.length - 1];
    if (last?.type === 'text') last.text += this.pending;
    else this.out.push({ type: 'text', text: this.pending });
    this.pending = '';
  }
}

/** Discord renders `<t:…>` in the reader's locale; bridged text gets a fixed, unambiguous UTC form. */
function formatTimestamp(seconds: number, style: string | undefined): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return `<t:${seconds}>`;
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  switch (style) {
    case 't':
      return `${time} UTC`;
    case 'T':
      return `${iso.slice(11, 19)} UTC`;
    case 'd':
    case 'D':
      return day;
    default:
      return `${day} ${time} UTC`;
  }
}
