import type { Block, Inline, RichText } from './ir';
import { escapeHtml } from './html-escape';
import { contentText, emojiFallbackText, singleLine } from './ir-text';
import { isLinkableHref } from './link-policy';
import { MATRIX_HTML_MAX_DEPTH, isMatrixHexColor } from './matrix-html-allow-list';
import { type MentionRenderOptions, renderedMention } from './mention-resolver';
import { sanitizeMatrixHtml } from './sanitize-matrix-html';

/** Options for {@link irToMatrixHtml}. */
export type IrToMatrixHtmlOptions = MentionRenderOptions;

const SIMPLE_TAGS: Record<string, string> = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strike: 'del',
  superscript: 'sup',
  subscript: 'sub',
};
const LANGUAGE = /^[\w+#.-]{1,32}$/;
const MXC = /^mxc:\/\/[^\s"]+$/i;
/** Height Element gives inline custom emoji, so they sit on the text line. */
const EMOJI_HEIGHT = 32;

function textHtml(text: string): string {
  return escapeHtml(text.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');
}

/** Renders IR as Matrix HTML; depth counts nested containers so hostile trees stay bounded. */
class MatrixHtmlWriter {
  constructor(private readonly options: IrToMatrixHtmlOptions) {}

  /** Blocks where a lone paragraph needs no `<p>` (spec: no needless paragraph tags). */
  blocks(blocks: readonly Block[], depth: number): string {
    if (blocks.length === 1 && blocks[0]!.type === 'paragraph')
      return this.inlines(blocks[0]!.children, depth, false);
    return blocks.map((block) => this.block(block, depth)).join('');
  }

  private block(block: Block, depth: number): string {
    if (depth > MATRIX_HTML_MAX_DEPTH) return textHtml(contentText([block]));
    switch (block.type) {
      case 'paragraph': {
        const inner = this.inlines(block.children, depth, false);
        return inner ? `<p>${inner}</p>` : '';
      }
      case 'heading':
        return `<h${block.level}>${this.inlines(block.children, depth + 1, false)}</h${block.level}>`;
      case 'codeblock': {
        const cls =
          block.language && LANGUAGE.test(block.language) ? ` class="language-${block.language}"` : '';
        // A final newline inside <pre> is invisible and dropped on reading; double it to keep it.
        const text = block.text.endsWith('\n') ? `${block.text}\n` : block.text;
        return `<pre><code${cls}>${escapeHtml(text)}</code></pre>`;
      }
      case 'quote':
        return `<blockquote>${this.blocks(block.children, depth + 1)}</blockquote>`;
      case 'list': {
        const tag = block.ordered ? 'ol' : 'ul';
        const start =
          block.ordered && block.start !== undefined && Number.isSafeInteger(block.start) && block.start !== 1
            ? ` start="${block.start}"`
            : '';
        const items = block.items.map((item) => `<li>${this.listItem(item, depth + 1)}</li>`).join('');
        return `<${tag}${start}>${items}</${tag}>`;
      }
      case 'rule':
        return '<hr>';
    }
  }

  /** A list item's first paragraph goes bare, as tight Markdown lists render. */
  private listItem(blocks: readonly Block[], depth: number): string {
    const [first, ...rest] = blocks;
    if (first?.type !== 'paragraph') return blocks.map((b) => this.block(b, depth)).join('');
    return this.inlines(first.children, depth, false) + rest.map((b) => this.block(b, depth)).join('');
  }

  private inlines(inlines: readonly Inline[], depth: number, inLink: boolean): string {
    let out = '';
    for (const inline of inlines) out += this.inline(inline, depth, inLink);
    return out;
  }

  private inline(inline: Inline, depth: number, inLink: boolean): string {
    if (depth > MATRIX_HTML_MAX_DEPTH) return textHtml(contentText([inline]));
    switch (inline.type) {
      case 'text':
        return textHtml(inline.text);
      case 'linebreak':
        return '<br>';
      case 'code':
        return `<code>${escapeHtml(inline.text)}</code>`;
      case 'emoji':
        return this.emoji(inline);
      case 'mention': {
        const { href, text } = renderedMention(inline, this.options.resolveMention);
        const name = escapeHtml(singleLine(text));
        return href === undefined || inLink ? name : `<a href="${escapeHtml(href)}">${name}</a>`;
      }
      case 'link': {
        const inner = this.inlines(inline.children, depth + 1, true);
        if (inLink || !isLinkableHref(inline.href)) return inner;
        const label = contentText(inline.children).trim() ? inner : textHtml(inline.href);
        return `<a href="${escapeHtml(inline.href)}">${label}</a>`;
      }
      case 'spoiler':
        return `<span data-mx-spoiler>${this.inlines(inline.children, depth + 1, inLink)}</span>`;
      case 'color': {
        const inner = this.inlines(inline.children, depth + 1, inLink);
        const fg =
          inline.fg && isMatrixHexColor(inline.fg) ? ` data-mx-color="${inline.fg.toLowerCase()}"` : '';
        const bg =
          inline.bg && isMatrixHexColor(inline.bg) ? ` data-mx-bg-color="${inline.bg.toLowerCase()}"` : '';
        return fg || bg ? `<span${fg}${bg}>${inner}</span>` : inner;
      }
      default: {
        const tag = SIMPLE_TAGS[inline.type]!;
        return `<${tag}>${this.inlines(inline.children, depth + 1, inLink)}</${tag}>`;
      }
    }
  }

  private emoji(emoji: Extract<Inline, { type: 'emoji' }>): string {
    const fallback = singleLine(emojiFallbackText(emoji));
    if (!emoji.url || !MXC.test(emoji.url)) return escapeHtml(fallback);
    // The spec's allow-list has no data-mx-emoticon, so the height keeps the image emoji-sized.
    return (
      `<img src="${escapeHtml(emoji.url)}" alt="${escapeHtml(fallback)}"` +
      ` title="${escapeHtml(`:${emoji.name}:`)}" height="${EMOJI_HEIGHT}">`
    );
  }
}

/**
 * Renders IR as a Matrix `formatted_body` that Element shows well: `<strong>`, `<em>`, `<del>`,
 * pills as matrix.to links, `<pre><code class="language-x">`, `<span data-mx-spoiler>`,
 * `<span data-mx-color>`, custom emoji as `mxc://` images, no newline characters outside code
 * (line breaks become `<br>`), no `<p>` around a lone paragraph. Links with schemes other than
 * http/https/mailto become their text. The result always passes through
 * {@link sanitizeMatrixHtml} last.
 */
export function irToMatrixHtml(ir: RichText, options: IrToMatrixHtmlOptions = {}): string {
  return sanitizeMatrixHtml(new MatrixHtmlWriter(options).blocks(ir.blocks, 0));
}
