import type { RichText } from './ir';
import { irFromText } from './ir-from-text';

/** Options for {@link plainTextToIr}. */
export interface PlainTextToIrOptions {
  /**
   * Remove a rich-reply fallback (`> <@user:hs> quoted…` lines, then a blank line) from the top.
   * Use it for replies (events with `m.relates_to.m.in_reply_to`); the reply itself is
   * carried by the event model, not the text.
   */
  stripReplyFallback?: boolean;
}

/**
 * Removes the plain-text rich-reply fallback: the lines starting with `>` at the top, when a
 * blank line follows them. Text without that shape is returned unchanged.
 */
export function stripPlainReplyFallback(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let quoted = 0;
  while (quoted < lines.length && (lines[quoted]!.startsWith('> ') || lines[quoted] === '>')) quoted++;
  if (quoted === 0 || quoted >= lines.length || lines[quoted] !== '') return body;
  return lines.slice(quoted + 1).join('\n');
}

/**
 * Reads a Matrix `body` without `formatted_body` into IR: paragraphs split at blank lines, line
 * breaks kept, nothing else interpreted (`@room` and Markdown-like text stay text; the caller
 * decides what they mean).
 */
export function plainTextToIr(body: string, options: PlainTextToIrOptions = {}): RichText {
  if (typeof body !== 'string') return { blocks: [] };
  return irFromText(options.stripReplyFallback ? stripPlainReplyFallback(body) : body);
}
