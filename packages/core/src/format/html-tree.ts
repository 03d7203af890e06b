import { Parser } from 'htmlparser2';

/** An element of the small HTML tree the Matrix HTML converter reads. */
export interface HtmlElement {
  /** Lower-cased tag name; `#root` for the fragment itself. */
  name: string;
  /** Attributes with entities decoded; names lower-cased. */
  attribs: Record<string, string>;
  children: HtmlNode[];
}

/** A child in the tree: an element, or text with entities decoded. */
export type HtmlNode = HtmlElement | string;

/** Tags whose content is never message text. `mx-reply` is the obsolete rich-reply fallback. */
const CONTENT_DROPPED = new Set([
  'mx-reply',
  'script',
  'style',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'embed',
  'noscript',
  'textarea',
  'select',
  'option',
  'svg',
  'math',
  'audio',
  'video',
  'canvas',
]);

/**
 * Parses an HTML fragment into a tree, with htmlparser2's forgiving tokenizer (unclosed and
 * stray tags are fine). Elements nested deeper than `maxDepth` are flattened into their
 * deepest kept ancestor (their text survives), so later recursive walks are bounded however
 * hostile the input. Script-like elements and `mx-reply` are dropped with their content.
 */
export function parseHtmlTree(html: string, maxDepth: number): HtmlElement {
  const root: HtmlElement = { name: '#root', attribs: {}, children: [] };
  const open: HtmlElement[] = [root];
  let droppedDepth = 0;
  let flattenedDepth = 0;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (droppedDepth > 0 || CONTENT_DROPPED.has(name)) {
          droppedDepth++;
          return;
        }
        if (open.length > maxDepth) {
          flattenedDepth++;
          return;
        }
        const element: HtmlElement = { name, attribs, children: [] };
        open[open.length - 1]!.children.push(element);
        open.push(element);
      },
      onclosetag() {
        if (droppedDepth > 0) droppedDepth--;
        else if (flattenedDepth > 0) flattenedDepth--;
        else if (open.length > 1) open.pop();
      },
      ontext(text) {
        if (droppedDepth > 0) return;
        const siblings = open[open.length - 1]!.children;
        const last = siblings.length - 1;
        if (last >= 0 && typeof siblings[last] === 'string') siblings[last] += text;
        else siblings.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return root;
}
