/**
 * Discord markdown's block level -> IR blocks: code fences, `>` and `>>>` quotes, `#`–`###`
 * headings, `-`/`*`/`1.` lists and paragraphs. Discord keeps single newlines, so a paragraph is a
 * run of lines up to an empty line, and its newlines become IR line breaks.
 */
import type { Block, Inline } from '@trestle/core';
import { parseInline, type InlineParseOptions } from './markdown-inline';

const FENCE = '```';
const LANGUAGE = /^([\w+#.-]{1,32})\n/;
const HEADING = /^(#{1,3}) +(.*)$/;
const SUBTEXT = /^-# +(.*)$/;
const LIST_ITEM = /^( *)([-*]|\d{1,9}\.) +(.*)$/;

export function parseBlocks(text: string, options: InlineParseOptions, inQuote = false): Block[] {
  return new BlockScanner(text, options, inQuote).parse();
}

class BlockScanner {
  private readonly blocks: Block[] = [];
  private paragraph: string[] = [];
  /** Empty lines seen since the last block; beyond the first they become leading line breaks. */
  private blankRun = 0;
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly options: InlineParseOptions,
    /** Discord does not nest quotes: inside one, `>` is just text. */
    private readonly inQuote: boolean,
  ) {}

  parse(): Block[] {
    while (this.pos < this.src.length) {
      const lineEnd = this.lineEnd(this.pos);
      const line = this.src.slice(this.pos, lineEnd);
      if (this.src.startsWith(FENCE, this.pos) && this.codeBlock()) continue;
      if (!this.inQuote && line.startsWith('>>> ')) {
        this.emit({ type: 'quote', children: parseBlocks(this.src.slice(this.pos + 4), this.options, true) });
        this.pos = this.src.length;
        continue;
      }
      if (!this.inQuote && (line.startsWith('> ') || line === '>')) {
        this.quote();
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1]!.length as 1 | 2 | 3;
        this.emit({ type: 'heading', level, children: this.inline(heading[2]!) });
        this.pos = lineEnd + 1;
        continue;
      }
      const subtext = SUBTEXT.exec(line);
      if (subtext) {
        this.emit({ type: 'paragraph', children: this.inline(subtext[1]!) });
        this.pos = lineEnd + 1;
        continue;
      }
      if (LIST_ITEM.test(line)) {
        this.list();
        continue;
      }
      if (line === '') {
        this.endParagraph();
        this.blankRun += 1;
      } else {
        this.paragraph.push(line);
      }
      this.pos = lineEnd + 1;
    }
    this.endParagraph();
    return this.blocks;
  }

  /** A fenced block: ```lang\ncode``` . Returns false when the fence never closes (it is text then). */
  private codeBlock(): boolean {
    const close = this.src.indexOf(FENCE, this.pos + FENCE.length);
    if (close < 0) return false;
    let inner = this.src.slice(this.pos + FENCE.length, close);
    const language = LANGUAGE.exec(inner);
    if (language) inner = inner.slice(language[0].length);
    else if (inner.startsWith('\n')) inner = inner.slice(1);
    if (inner.endsWith('\n')) inner = inner.slice(0, -1);
    if (inner.trim() === '') return false;
    this.emit({ type: 'codeblock', ...(language ? { language: language[1]! } : {}), text: inner });
    this.pos = close + FENCE.length;
    if (this.src[this.pos] === '\n') this.pos += 1;
    return true;
  }

  private quote(): void {
    const lines: string[] = [];
    while (this.pos < this.src.length) {
      const end = this.lineEnd(this.pos);
      const line = this.src.slice(this.pos, end);
      if (!line.startsWith('> ') && line !== '>') break;
      lines.push(line.slice(2));
      this.pos = end + 1;
    }
    this.emit({ type: 'quote', children: parseBlocks(lines.join('\n'), this.options, true) });
  }

  /** A list and its nested lists (deeper indentation), until a line that is not part of it. */
  private list(): void {
    const lines: string[] = [];
    while (this.pos < this.src.length) {
      const end = this.lineEnd(this.pos);
      const line = this.src.slice(this.pos, end);
      if (!LIST_ITEM.test(line) && !(lines.length > 0 && /^ {2,}\S/.test(line))) break;
      lines.push(line);
      this.pos = end + 1;
    }
    for (const block of buildLists(lines, this.options)) this.emit(block);
  }

  private inline(text: string): Inline[] {
    return parseInline(text, this.options);
  }

  private emit(block: Block): void {
    this.endParagraph();
    this.blankRun = 0;
    this.blocks.push(block);
  }

  private endParagraph(): void {
    if (this.paragraph.length === 0) return;
    const leading: Inline[] = [];
    for (let i = 1; i < this.blankRun; i += 1) leading.push({ type: 'linebreak' });
    const children = [...leading, ...this.inline(this.paragraph.join('\n'))];
    this.paragraph = [];
    this.blankRun = 0;
    this.blocks.push({ type: 'paragraph', children });
  }

  private lineEnd(from: number): number {
    const end = this.src.indexOf('\n', from);
    return end < 0 ? this.src.length : end;
  }
}

/** Group list lines into lists: same-indent items are siblings, deeper lines belong to the item above. */
function buildLists(lines: string[], options: InlineParseOptions): Block[] {
  const lists: Block[] = [];
  let current: Extract<Block, { type: 'list' }> | undefined;
  let baseIndent = -1;
  let childLines: string[] = [];
  const flushChildren = () => {
    const item = current?.items[current.items.length - 1];
    if (item && childLines.length > 0) item.push(...buildLists(dedent(childLines), options));
    childLines = [];
  };
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    const indent = m ? m[1]!.length : Infinity;
    if (baseIndent < 0) baseIndent = indent;
    if (!m || indent > baseIndent) {
      childLines.push(line);
      continue;
    }
    flushChildren();
    const ordered = /\d/.test(m[2]![0]!);
    const paragraph: Block = { type: 'paragraph', children: parseInline(m[3]!, options) };
    if (!current || current.ordered !== ordered) {
      current = { type: 'list', ordered, items: [] };
      if (ordered && m[2] !== '1.') current.start = Number.parseInt(m[2]!, 10);
      lists.push(current);
    }
    current.items.push([paragraph]);
  }
  flushChildren();
  return lists;
}

function dedent(lines: string[]): string[] {
  const indent = Math.min(...lines.map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent));
}
