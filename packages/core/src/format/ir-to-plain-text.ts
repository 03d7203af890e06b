import type { Block, Inline, RichText } from './ir';
import { contentText, emojiFallbackText, inlineText, singleLine } from './ir-text';
import { isLinkableHref } from './link-policy';
import { MATRIX_HTML_MAX_DEPTH } from './matrix-html-allow-list';
import { parseMatrixLink } from './matrix-uri';
import { type MentionRenderOptions, renderedMention } from './mention-resolver';

/** Options for {@link irToPlainText}. */
export interface IrToPlainTextOptions extends MentionRenderOptions {
  /**
   * `hide` (default) writes `[Spoiler]` instead of spoiler text, as the Matrix spec asks of
   * `body` (it shows in notifications); `reveal` writes the text.
   */
  spoilers?: 'hide' | 'reveal';
}

/** What a hidden spoiler reads as in plain text. */
export const HIDDEN_SPOILER_TEXT = '[Spoiler]';

function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n')
    .replace(/[ \t]+$/gm, '');
}

/** Leading and trailing empty lines of a paragraph show nothing in HTML; leave them out here too. */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '');
}

class PlainTextWriter {
  constructor(private readonly options: IrToPlainTextOptions) {}

  /** Blocks with nothing visible are left out, as they are when HTML is displayed. */
  blocks(blocks: readonly Block[], depth: number, separator = '\n\n'): string {
    const parts: string[] = [];
    for (const block of blocks) {
      const text = this.block(block, depth);
      if (text.trim()) parts.push(text);
    }
    return parts.join(separator);
  }

  private block(block: Block, depth: number): string {
    if (depth > MATRIX_HTML_MAX_DEPTH) return contentText([block]);
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return trimBlankLines(this.inlines(block.children, depth, false));
      case 'codeblock':
        return block.text;
      case 'rule':
        return '---';
      case 'quote': {
        const inner = this.blocks(block.children, depth + 1);
        return inner.trim() ? prefixLines(inner, '> ', '> ') : '';
      }
      case 'list': {
        const first = block.start ?? 1;
        return block.items
          .map((item, i) => {
            const marker = block.ordered ? `${first + i}. ` : '- ';
            // Tight lists: an item's own blocks sit on consecutive lines, indented under the marker.
            const inner = this.blocks(item, depth + 1, '\n');
            return prefixLines(inner, marker, ' '.repeat(marker.length));
          })
          .join('\n');
      }
    }
  }

  private inlines(inlines: readonly Inline[], depth: number, inLink: boolean): string {
    let out = '';
    for (const inline of inlines) out += this.inline(inline, depth, inLink);
    return out;
  }

  private inline(inline: Inline, depth: number, inLink: boolean): string {
    if (depth > MATRIX_HTML_MAX_DEPTH) return contentText([inline]);
    switch (inline.type) {
      case 'text':
        return inline.text.replace(/\r\n?/g, '\n');
      case 'linebreak':
        return '\n';
      case 'code':
        return singleLine(inline.text);
      case 'emoji':
        return singleLine(emojiFallbackText(inline));
      case 'mention':
        return singleLine(renderedMention(inline, this.options.resolveMention).text);
      case 'spoiler':
        return this.options.spoilers === 'reveal'
          ? this.inlines(inline.children, depth + 1, inLink)
          : HIDDEN_SPOILER_TEXT;
      case 'link':
        // A link inside a link is just text, as in HTML.
        return inLink ? this.inlines(inline.children, depth + 1, true) : this.link(inline, depth);
      default:
        return this.inlines(inline.children, depth + 1, inLink);
    }
  }

  /** `text (url)` so text-only readers keep the target; pills and bare URLs print once. */
  private link(link: Extract<Inline, { type: 'link' }>, depth: number): string {
    const text = this.inlines(link.children, depth + 1, true);
    if (!isLinkableHref(link.href)) return text;
    const shown = inlineText(link.children).trim();
    if (!shown) return link.href;
    // A pill shows a name on one line, as the HTML reader makes of it.
    if (parseMatrixLink(link.href)) return singleLine(text);
    if (shown === link.href || `mailto:${shown}` === link.href) return text;
    // The URL goes right after the words, before any line break that ends the link text.
    const words = text.trimEnd();
    return `${words} (${link.href})${text.slice(words.length)}`;
  }
}

/**
 * Renders IR as plain text for a Matrix `body` (or any text-only reader): paragraphs separated by
 * a blank line, `> ` quotes, `- ` / `1. ` lists, code as-is, links as `text (url)`, mentions as
 * their text, custom emoji as their fallback, spoilers hidden unless `spoilers: 'reveal'`.
 */
export function irToPlainText(ir: RichText, options: IrToPlainTextOptions = {}): string {
  return new PlainTextWriter(options).blocks(ir.blocks, 0);
}
