/**
 * Telegram text + entities -> the core's rich-text IR.
 *
 * Entity offsets count UTF-16 code units, which is how JavaScript indexes strings, so slicing
 * `text` by offset is exact (emoji and other astral characters take two units on both sides).
 * Entities nest; partial overlaps (which Telegram does not produce, but a buggy client might send)
 * are split so the tree stays well-formed. `pre` and `blockquote` become blocks; the newline that
 * separates a block from its neighbours belongs to the block boundary, not to the paragraphs.
 */
import type { Block, Inline, MentionTarget, RichText } from '@trestle/core';
import type { MessageEntity } from 'telegraf/types';

/** An entity as the converter reads it; `type` is open so newer Bot API kinds pass through. */
export type TelegramEntity =
  MessageEntity | { type: string; offset: number; length: number; [extra: string]: unknown };

export interface TelegramToIrOptions {
  /** Resolve an `@username` mention to a remote user id, when the bridge knows it. */
  resolveUsername?(username: string): string | undefined;
}

interface Span {
  entity: TelegramEntity;
  start: number;
  end: number;
}

const blockTypes = new Set(['pre', 'blockquote', 'expandable_blockquote']);

/** Convert a Telegram message text (or caption) with its entities to rich text. */
export function telegramToIr(
  text: string,
  entities: readonly TelegramEntity[] = [],
  options: TelegramToIrOptions = {},
): RichText {
  const spans = entities
    .map((entity) => ({
      entity,
      start: clamp(entity.offset, text),
      end: clamp(entity.offset + entity.length, text),
    }))
    .filter((s) => s.end > s.start)
    .sort(bySpan);
  return { blocks: new Converter(text, options).blocks(0, text.length, spans) };
}

function clamp(index: number, text: string): number {
  return Math.max(0, Math.min(text.length, Number.isFinite(index) ? Math.floor(index) : 0));
}

/** Outer spans first; for equal spans a quote wraps a pre, not the other way round. */
function bySpan(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end || rank(a) - rank(b);
}

function rank(span: Span): number {
  return span.entity.type.endsWith('blockquote') ? 0 : span.entity.type === 'pre' ? 2 : 1;
}

/** Spans inside [start, end), clipped to it. */
function clip(spans: readonly Span[], start: number, end: number): Span[] {
  return spans
    .filter((s) => s.start < end && s.end > start)
    .map((s) => ({ ...s, start: Math.max(s.start, start), end: Math.min(s.end, end) }))
    .sort(bySpan);
}

class Converter {
  constructor(
    private readonly text: string,
    private readonly options: TelegramToIrOptions,
  ) {}

  blocks(start: number, end: number, spans: Span[]): Block[] {
    const blockSpans: Span[] = [];
    for (const span of spans) {
      const last = blockSpans[blockSpans.length - 1];
      if (blockTypes.has(span.entity.type) && (!last || span.start >= last.end)) blockSpans.push(span);
    }
    const blocks: Block[] = [];
    let position = start;
    let afterBlock = false;
    for (const block of blockSpans) {
      this.paragraph(blocks, position, block.start, spans, afterBlock, true);
      const inner = clip(spans, block.start, block.end).filter((s) => s.entity !== block.entity);
      if (block.entity.type === 'pre') {
        const language = (block.entity as { language?: string }).language;
        blocks.push({
          type: 'codeblock',
          ...(language ? { language } : {}),
          text: this.text.slice(block.start, block.end),
        });
      } else {
        blocks.push({ type: 'quote', children: this.blocks(block.start, block.end, inner) });
      }
      position = block.end;
      afterBlock = true;
    }
    this.paragraph(blocks, position, end, spans, afterBlock, false);
    return blocks;
  }

  private paragraph(
    out: Block[],
    start: number,
    end: number,
    spans: Span[],
    afterBlock: boolean,
    beforeBlock: boolean,
  ): void {
    let from = start;
    let to = end;
    const strippedLeading = afterBlock && from < to && this.text[from] === '\n';
    if (strippedLeading) from += 1;
    const strippedTrailing = beforeBlock && to > from && this.text[to - 1] === '\n';
    if (strippedTrailing) to -= 1;
    // A lone separator between two blocks is no paragraph; an empty line before a block or at the end is.
    const emptyLine = strippedTrailing || (strippedLeading && !beforeBlock);
    if (to <= from && !emptyLine) return;
    out.push({ type: 'paragraph', children: this.inlines(from, to, clip(spans, from, to)) });
  }

  private inlines(start: number, end: number, spans: Span[]): Inline[] {
    const out: Inline[] = [];
    let position = start;
    let pending = spans;
    while (pending.length > 0) {
      const [span, ...rest] = pending as [Span, ...Span[]];
      if (span.start > position) this.pushText(out, this.text.slice(position, span.start));
      // Entities starting inside this one nest; parts reaching past its end continue afterwards.
      const inside: Span[] = [];
      const after: Span[] = [];
      for (const other of rest) {
        if (other.start >= span.end) after.push(other);
        else {
          inside.push({ ...other, end: Math.min(other.end, span.end) });
          if (other.end > span.end) after.push({ ...other, start: span.end });
        }
      }
      out.push(...this.inline(span, inside));
      position = span.end;
      pending = after.sort(bySpan);
    }
    if (position < end) this.pushText(out, this.text.slice(position, end));
    return out;
  }

  private inline(span: Span, inside: Span[]): Inline[] {
    const raw = this.text.slice(span.start, span.end);
    const children = () => this.inlines(span.start, span.end, inside);
    const entity = span.entity;
    switch (entity.type) {
      case 'bold':
      case 'italic':
      case 'underline':
      case 'spoiler':
        return [{ type: entity.type, children: children() }];
      case 'strikethrough':
        return [{ type: 'strike', children: children() }];
      case 'code':
      case 'pre': // a pre nested in inline formatting cannot be a block
        return [{ type: 'code', text: raw }];
      case 'text_link':
        return [
          { type: 'link', href: String((entity as { url?: string }).url ?? raw), children: children() },
        ];
      case 'url':
        return [
          { type: 'link', href: /^[a-z][\w+.-]*:/i.test(raw) ? raw : `http://${raw}`, children: children() },
        ];
      case 'email':
        return [{ type: 'link', href: `mailto:${raw}`, children: children() }];
      case 'mention': {
        const remoteId = this.options.resolveUsername?.(raw.replace(/^@/, ''));
        const target: MentionTarget = { kind: 'user', ...(remoteId ? { remoteId } : {}) };
        return [{ type: 'mention', target, text: raw }];
      }
      case 'text_mention': {
        const user = (entity as { user?: { id: number } }).user;
        if (!user) return children();
        return [{ type: 'mention', target: { kind: 'user', remoteId: String(user.id) }, text: raw }];
      }
      case 'custom_emoji':
        return [
          {
            type: 'emoji',
            name: String((entity as { custom_emoji_id?: string }).custom_emoji_id ?? ''),
            fallback: raw,
          },
        ];
      default:
        // hashtag, cashtag, bot_command, phone_number, and blocks nested inside inline entities.
        return children();
    }
  }

  private pushText(out: Inline[], text: string): void {
    text.split('\n').forEach((line, index) => {
      if (index > 0) out.push({ type: 'linebreak' });
      if (line) out.push({ type: 'text', text: line });
    });
  }
}
