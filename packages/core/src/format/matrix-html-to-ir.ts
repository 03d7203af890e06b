import type { Block, Inline, RichText } from './ir';
import { type HtmlElement, type HtmlNode, parseHtmlTree } from './html-tree';
import { collapseWhitespace, tidyInlineRun, trimHtmlWhitespace } from './inline-whitespace';
import { inlineText } from './ir-text';
import { isLinkableHref } from './link-policy';
import { MATRIX_HTML_MAX_DEPTH, isMatrixHexColor } from './matrix-html-allow-list';
import { parseMatrixLink } from './matrix-uri';

/** Options for {@link matrixHtmlToIr}. */
export interface MatrixHtmlToIrOptions {
  /**
   * Turns an image's `mxc://` source into a URL remote users can open (e.g. a media proxy).
   * Without it, images that are not custom emoji become their alt text.
   */
  mediaUrl?(mxc: string): string | undefined;
}

type WrapperType = 'bold' | 'italic' | 'underline' | 'strike' | 'superscript' | 'subscript';

const WRAPPERS: Record<string, WrapperType> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  del: 'strike',
  s: 'strike',
  strike: 'strike',
  sup: 'superscript',
  sub: 'subscript',
};

const INLINE_CODE = new Set(['code', 'tt', 'kbd', 'samp']);
const HEADINGS: Record<string, 1 | 2 | 3 | 4 | 5 | 6> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
/** Elements that read as a paragraph of their own. */
const PARAGRAPH_LIKE = new Set([
  'p',
  'div',
  'li',
  'summary',
  'caption',
  'td',
  'th',
  'dt',
  'dd',
  'figcaption',
]);
/** Block elements that only group other blocks. */
const BLOCK_GROUPS = new Set([
  'table',
  'thead',
  'tbody',
  'tfoot',
  'details',
  'section',
  'article',
  'dl',
  'figure',
]);
/** Block elements that, met inside inline content, still end a line. */
const LINE_ENDING = new Set([
  ...PARAGRAPH_LIKE,
  ...Object.keys(HEADINGS),
  'blockquote',
  'ul',
  'ol',
  'pre',
  'hr',
  'tr',
]);
const CODE_LANGUAGE = /(?:^|\s)language-([\w+#.-]{1,32})(?:\s|$)/;
const LIST_START = /^\s*(-?\d{1,9})\s*$/;
const TABLE_CELL_SEPARATOR = ' | ';

/** Appends without spreading into arguments, which overflows the stack on huge arrays. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function textContent(node: HtmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textContent).join('');
}

function normalizeColor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim().toLowerCase();
  // Older clients send `#rgb` in font[color]; widen it rather than lose the colour.
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(trimmed);
  const full = short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}` : trimmed;
  return isMatrixHexColor(full) ? full : undefined;
}

/** Converts one parsed fragment; holds the options so the recursive readers stay small. */
class MatrixHtmlReader {
  constructor(private readonly options: MatrixHtmlToIrOptions) {}

  blocks(nodes: readonly HtmlNode[]): Block[] {
    const builder = new BlockBuilder(this);
    builder.add(nodes);
    return builder.finish();
  }

  inlines(nodes: readonly HtmlNode[], inLink: boolean): Inline[] {
    const out: Inline[] = [];
    for (const node of nodes) appendAll(out, this.inline(node, inLink));
    return out;
  }

  inline(node: HtmlNode, inLink: boolean): Inline[] {
    if (typeof node === 'string') return [{ type: 'text', text: collapseWhitespace(node) }];
    const { name, attribs, children } = node;
    const wrapper = WRAPPERS[name];
    if (wrapper) return this.wrap(wrapper, children, inLink);
    if (INLINE_CODE.has(name)) return [{ type: 'code', text: collapseWhitespace(textContent(node)) }];
    switch (name) {
      case 'br':
        return [{ type: 'linebreak' }];
      case 'a':
        return this.link(node, inLink);
      case 'img':
        return this.image(attribs, inLink);
      case 'span':
      case 'font':
        return this.styledSpan(node, inLink);
      case 'hr':
        return [{ type: 'linebreak' }];
      case 'pre':
        return [{ type: 'code', text: textContent(node) }, { type: 'linebreak' }];
    }
    const inner = this.inlines(children, inLink);
    return LINE_ENDING.has(name) ? [...inner, { type: 'linebreak' }] : inner;
  }

  private wrap(type: WrapperType, children: readonly HtmlNode[], inLink: boolean): Inline[] {
    const inner = this.inlines(children, inLink);
    return inner.length > 0 ? [{ type, children: inner }] : [];
  }

  private link(node: HtmlElement, inLink: boolean): Inline[] {
    const children = this.inlines(node.children, true);
    const href = node.attribs.href?.trim();
    // Nested links are not a thing in HTML; the outer one wins.
    if (inLink || href === undefined) return children;
    const target = parseMatrixLink(href);
    if (target) {
      const shown = collapseWhitespace(inlineText(children));
      const text = trimHtmlWhitespace(shown) || target.matrixId;
      const kind = target.kind === 'user' ? 'user' : 'channel';
      // Spaces around a pill's name are spacing between words, not part of the name.
      const before: Inline[] = shown.startsWith(' ') ? [{ type: 'text', text: ' ' }] : [];
      const after: Inline[] = shown.length > 1 && shown.endsWith(' ') ? [{ type: 'text', text: ' ' }] : [];
      return [...before, { type: 'mention', target: { kind, matrixId: target.matrixId }, text }, ...after];
    }
    if (!isLinkableHref(href)) return children;
    return [
      { type: 'link', href, children: children.length > 0 ? children : [{ type: 'text', text: href }] },
    ];
  }

  private image(attribs: Record<string, string>, inLink: boolean): Inline[] {
    // Not trimmed: spacing around an image is spacing between words, left to the run's tidying.
    const label = collapseWhitespace(attribs.alt || attribs.title || '');
    const src = attribs.src?.trim() ?? '';
    if ('data-mx-emoticon' in attribs) {
      const name = trimHtmlWhitespace(label).replace(/^:+|:+$/g, '') || 'emoji';
      return [
        {
          type: 'emoji',
          name,
          ...(src ? { url: src } : {}),
          fallback: trimHtmlWhitespace(label) || `:${name}:`,
        },
      ];
    }
    const url = src.toLowerCase().startsWith('mxc://') ? this.options.mediaUrl?.(src) : src;
    if (!inLink && url && isLinkableHref(url)) {
      return [
        { type: 'link', href: url, children: [{ type: 'text', text: trimHtmlWhitespace(label) || url }] },
      ];
    }
    return label ? [{ type: 'text', text: label }] : [];
  }

  private styledSpan(node: HtmlElement, inLink: boolean): Inline[] {
    const { attribs } = node;
    let inner = this.inlines(node.children, inLink);
    if (inner.length === 0) return [];
    const fg = normalizeColor(attribs['data-mx-color'] ?? attribs.color);
    const bg = normalizeColor(attribs['data-mx-bg-color']);
    if (fg || bg) inner = [{ type: 'color', ...(fg ? { fg } : {}), ...(bg ? { bg } : {}), children: inner }];
    if (node.name === 'span' && 'data-mx-spoiler' in attribs) inner = [{ type: 'spoiler', children: inner }];
    return inner;
  }

  heading(node: HtmlElement, level: 1 | 2 | 3 | 4 | 5 | 6): Block[] {
    const children = tidyInlineRun(this.inlines(node.children, false));
    return children.length > 0 ? [{ type: 'heading', level, children }] : [];
  }

  codeBlock(node: HtmlElement): Block {
    const code = node.children.find((c): c is HtmlElement => typeof c !== 'string' && c.name === 'code');
    const language = CODE_LANGUAGE.exec(code?.attribs.class ?? '')?.[1];
    let text = textContent(node);
    // Browsers drop a newline right after <pre>, and a final newline before </pre> shows nothing.
    if (typeof node.children[0] === 'string' && text.startsWith('\n')) text = text.slice(1);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    return language ? { type: 'codeblock', language, text } : { type: 'codeblock', text };
  }

  list(node: HtmlElement): Block[] {
    const ordered = node.name === 'ol';
    const items: Block[][] = [];
    let stray: HtmlNode[] = [];
    // Content outside <li> (often a nested list written as a sibling) belongs to the item before it.
    const adoptStray = (): void => {
      if (stray.length === 0) return;
      const blocks = this.blocks(stray);
      stray = [];
      if (blocks.length === 0) return;
      if (items.length > 0) appendAll(items[items.length - 1]!, blocks);
      else items.push(blocks);
    };
    for (const child of node.children) {
      if (typeof child !== 'string' && child.name === 'li') {
        adoptStray();
        items.push(this.blocks(child.children));
      } else {
        stray.push(child);
      }
    }
    adoptStray();
    if (items.length === 0) return [];
    const start = ordered ? LIST_START.exec(node.attribs.start ?? '') : null;
    return [
      start ? { type: 'list', ordered, start: Number(start[1]), items } : { type: 'list', ordered, items },
    ];
  }

  tableRow(node: HtmlElement): Inline[] {
    const cells = node.children.filter((c): c is HtmlElement => typeof c !== 'string');
    const row: Inline[] = [];
    for (const cell of cells) {
      const content = tidyInlineRun(this.inlines(cell.children, false));
      if (content.length === 0) continue;
      if (row.length > 0) row.push({ type: 'text', text: TABLE_CELL_SEPARATOR });
      appendAll(row, content);
    }
    return row;
  }
}

/** Collects blocks in document order, gathering loose inline content into paragraphs. */
class BlockBuilder {
  private readonly blocks: Block[] = [];
  private run: Inline[] = [];

  constructor(private readonly reader: MatrixHtmlReader) {}

  add(nodes: readonly HtmlNode[]): void {
    for (const node of nodes) this.addNode(node);
  }

  finish(): Block[] {
    this.endParagraph();
    return this.blocks;
  }

  private addNode(node: HtmlNode): void {
    if (typeof node === 'string') {
      appendAll(this.run, this.reader.inline(node, false));
      return;
    }
    const level = HEADINGS[node.name];
    if (level) return this.addBlocks(this.reader.heading(node, level));
    if (PARAGRAPH_LIKE.has(node.name)) {
      this.endParagraph();
      this.add(node.children);
      return this.endParagraph();
    }
    if (BLOCK_GROUPS.has(node.name)) return this.add(node.children);
    switch (node.name) {
      case 'blockquote': {
        const children = this.reader.blocks(node.children);
        return this.addBlocks(children.length > 0 ? [{ type: 'quote', children }] : []);
      }
      case 'ul':
      case 'ol':
        return this.addBlocks(this.reader.list(node));
      case 'pre':
        return this.addBlocks([this.reader.codeBlock(node)]);
      case 'hr':
        return this.addBlocks([{ type: 'rule' }]);
      case 'tr':
        this.endParagraph();
        appendAll(this.run, this.reader.tableRow(node));
        return this.endParagraph();
      default:
        appendAll(this.run, this.reader.inline(node, false));
    }
  }

  private addBlocks(blocks: Block[]): void {
    this.endParagraph();
    appendAll(this.blocks, blocks);
  }

  private endParagraph(): void {
    if (this.run.length === 0) return;
    const children = tidyInlineRun(this.run);
    this.run = [];
    if (children.length > 0) this.blocks.push({ type: 'paragraph', children });
  }
}

/**
 * Reads a Matrix `formatted_body` (`org.matrix.custom.html`) into the rich-text IR.
 *
 * Understands what Matrix clients send: bold/italic/underline/strike, spoilers, sub/superscript,
 * inline code and fenced code with a language, links (http/https/mailto; other schemes keep only
 * their text), matrix.to and `matrix:` pills as user/room mentions, quotes, headings, lists
 * (with `start`), rules, colours (`data-mx-color`, `font[color]`) and custom emoji
 * (`img[data-mx-emoticon]`). The rich-reply fallback (`<mx-reply>`) is removed, unknown tags give
 * up their text, script-like tags their content too. Whitespace follows HTML rules.
 * Never throws; nesting beyond 100 levels is flattened to text.
 */
export function matrixHtmlToIr(html: string, options: MatrixHtmlToIrOptions = {}): RichText {
  if (typeof html !== 'string' || html.length === 0) return { blocks: [] };
  const tree = parseHtmlTree(html, MATRIX_HTML_MAX_DEPTH);
  return { blocks: new MatrixHtmlReader(options).blocks(tree.children) };
}
