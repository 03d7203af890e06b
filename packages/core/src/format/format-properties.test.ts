import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import type { Block, Inline, RichText } from './ir';
import { irForEachInline } from './ir-walk';
import { irToMatrixHtml } from './ir-to-matrix-html';
import { irToPlainText } from './ir-to-plain-text';
import { isLinkableHref } from './link-policy';
import {
  MATRIX_HTML_ALLOWED_ATTRIBUTES,
  MATRIX_HTML_ALLOWED_TAGS,
  isAllowedMatrixLinkHref,
  uriScheme,
} from './matrix-html-allow-list';
import { matrixHtmlToIr } from './matrix-html-to-ir';
import { sanitizeMatrixHtml } from './sanitize-matrix-html';

const RUNS = { numRuns: 300 };

/** Every way `html` breaks the Matrix allow-list, read back with an independent parser. */
function allowListViolations(html: string): string[] {
  const problems: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      if (!MATRIX_HTML_ALLOWED_TAGS.includes(name)) problems.push(`tag <${name}>`);
      const allowed = MATRIX_HTML_ALLOWED_ATTRIBUTES[name] ?? [];
      for (const [attr, value] of Object.entries(attribs)) {
        if (!allowed.includes(attr)) problems.push(`attribute ${name}[${attr}]`);
        if (attr === 'href' && !isAllowedMatrixLinkHref(value)) problems.push(`href ${value}`);
        if (attr === 'src' && uriScheme(value) !== 'mxc') problems.push(`src ${value}`);
        if (attr === 'class' && !/^(language-[^\s]+\s*)+$/.test(value)) problems.push(`class ${value}`);
      }
    },
  });
  parser.end(html);
  return problems;
}

// ---- Random HTML-ish input, biased towards the constructs and attacks that matter ----

const tagName = fc.constantFrom(
  ...MATRIX_HTML_ALLOWED_TAGS,
  'script',
  'style',
  'iframe',
  'mx-reply',
  'font',
  'strike',
  'svg',
  'math',
  'object',
  'x-foo',
  'IMG',
  'A',
  'Script',
);
const attribute = fc.constantFrom(
  'href="javascript:alert(1)"',
  'href="https://example.org/?a=1&amp;b"',
  "href=' java\nscript:x'",
  'href="//evil"',
  'href="/relative"',
  'href="https://matrix.to/#/@u:hs"',
  'href="matrix:r/room:hs"',
  'href="data:text/html,x"',
  'onclick="alert(1)"',
  'onerror=alert(1)',
  'style="position:fixed"',
  'src="mxc://hs/id"',
  'src="http://x/y.png"',
  'class="language-js evil"',
  'class="x"',
  'data-mx-color="#fff000"',
  'data-mx-color="red"',
  'data-mx-spoiler',
  'data-mx-emoticon',
  'color="#abc"',
  'start="5"',
  'start="x"',
  'target="_blank"',
  'width="10"',
  'alt="a&quot;b"',
  'srcset="x 1x"',
  'formaction="javascript:x"',
);
const openTag = fc
  .tuple(tagName, fc.array(attribute, { maxLength: 3 }), fc.boolean())
  .map(
    ([name, attrs, selfClosing]) => `<${name}${attrs.map((a) => ` ${a}`).join('')}${selfClosing ? '/' : ''}>`,
  );
const closeTag = tagName.map((name) => `</${name}>`);
const textPiece = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'B', ' ', '\n', '\t', '<', '>', '&', '"', "'", ';', '#', '@', ':', 'é', '😀'),
  }),
  fc.constantFrom(
    '&lt;',
    '&amp;',
    '&#106;avascript:',
    '&nbsp;',
    '&#0;',
    '&bogus;',
    '<!-- c -->',
    '<![CDATA[x]]>',
    '<!doctype html>',
  ),
);
const htmlish = fc
  .array(fc.oneof(openTag, closeTag, textPiece), { maxLength: 40 })
  .map((parts) => parts.join(''));

// ---- Random IR ----

const irText = fc.string({
  unit: fc.constantFrom(
    'a',
    'b',
    'Z',
    ' ',
    ' ',
    '\n',
    '\t',
    '<',
    '>',
    '&',
    '"',
    '*',
    '_',
    '`',
    '|',
    '1',
    'é',
    '😀',
    '\u00a0',
  ),
  maxLength: 12,
});
const href = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    'javascript:alert(1)',
    'mailto:a@b.c',
    '/relative',
    'ftp://x/y',
    'https://matrix.to/#/@bob:hs',
  ),
);
const mentionTarget = fc.oneof(
  fc.record({
    kind: fc.constant('user' as const),
    matrixId: fc.constantFrom('@alice:example.org', '@b/c?d:hs'),
  }),
  fc.record({ kind: fc.constant('channel' as const), matrixId: fc.constantFrom('#room:hs', '!abc:hs') }),
  fc.record({ kind: fc.constant('user' as const), remoteId: fc.constant('42') }),
  fc.record({ kind: fc.constant('role' as const), remoteId: fc.constant('7') }),
  fc.constant({ kind: 'everyone' as const }),
);
const color = fc.option(fc.constantFrom('#ff0000', '#00FF00', 'red', '#abc'), { nil: undefined });

const { blocks: irBlocks } = fc.letrec<{ inline: Inline; inlines: Inline[]; block: Block; blocks: Block[] }>(
  (tie) => ({
    inline: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      irText.map((text): Inline => ({ type: 'text', text })),
      irText.map((text): Inline => ({ type: 'code', text })),
      fc.constant<Inline>({ type: 'linebreak' }),
      fc.record({ type: fc.constant('mention' as const), target: mentionTarget, text: irText }),
      fc.record({
        type: fc.constant('emoji' as const),
        name: fc.constantFrom('cat', 'blob_cat', 'x"y'),
        url: fc.option(fc.constantFrom('mxc://hs/e', 'https://cdn/e.png'), { nil: undefined }),
        fallback: irText,
      }),
      fc
        .tuple(
          fc.constantFrom('bold', 'italic', 'underline', 'strike', 'spoiler', 'superscript', 'subscript'),
          tie('inlines') as fc.Arbitrary<Inline[]>,
        )
        .map(([type, children]): Inline => ({ type, children })),
      fc.record({
        type: fc.constant('link' as const),
        href,
        children: tie('inlines') as fc.Arbitrary<Inline[]>,
      }),
      fc
        .tuple(color, color, tie('inlines') as fc.Arbitrary<Inline[]>)
        .map(([fg, bg, children]): Inline => ({ type: 'color', fg, bg, children })),
    ),
    inlines: fc.array(tie('inline') as fc.Arbitrary<Inline>, { maxLength: 4 }),
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      (tie('inlines') as fc.Arbitrary<Inline[]>).map((children): Block => ({ type: 'paragraph', children })),
      fc.constant<Block>({ type: 'rule' }),
      fc
        .tuple(
          fc.constantFrom(1, 2, 3, 4, 5, 6) as fc.Arbitrary<1 | 2 | 3 | 4 | 5 | 6>,
          tie('inlines') as fc.Arbitrary<Inline[]>,
        )
        .map(([level, children]): Block => ({ type: 'heading', level, children })),
      fc
        .tuple(fc.option(fc.constantFrom('ts', 'c++', 'bad lang"'), { nil: undefined }), irText)
        .map(([language, text]): Block => ({ type: 'codeblock', language, text })),
      (tie('blocks') as fc.Arbitrary<Block[]>).map((children): Block => ({ type: 'quote', children })),
      fc
        .tuple(
          fc.boolean(),
          fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
          fc.array(tie('blocks') as fc.Arbitrary<Block[]>, { maxLength: 3 }),
        )
        .map(([ordered, start, items]): Block => ({ type: 'list', ordered, start, items })),
    ),
    blocks: fc.array(tie('block') as fc.Arbitrary<Block>, { maxLength: 3 }),
  }),
);
const richText = irBlocks.map((blocks): RichText => ({ blocks }));

/** Plain text with whitespace runs collapsed: HTML cannot carry the exact spacing. */
function plainWords(ir: RichText): string {
  return irToPlainText(ir, { spoilers: 'reveal' }).replace(/\s+/g, ' ').trim();
}

describe('format properties', () => {
  it('reading any HTML never throws and keeps only safe links', () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        const ir = matrixHtmlToIr(html);
        irForEachInline(ir, (node) => {
          if (node.type === 'link') expect(isLinkableHref(node.href)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('sanitizing any HTML leaves only allow-listed tags, attributes and schemes', () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        expect(allowListViolations(sanitizeMatrixHtml(html))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('HTML read into IR and written back stays inside the allow-list', () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        expect(allowListViolations(irToMatrixHtml(matrixHtmlToIr(html)))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('any IR renders to allow-listed HTML and never throws', () => {
    fc.assert(
      fc.property(richText, (ir) => {
        expect(allowListViolations(irToMatrixHtml(ir))).toEqual([]);
        expect(typeof irToPlainText(ir)).toBe('string');
      }),
      RUNS,
    );
  });

  it('IR -> HTML -> IR keeps the plain text of any IR', () => {
    fc.assert(
      fc.property(richText, (ir) => {
        expect(plainWords(matrixHtmlToIr(irToMatrixHtml(ir)))).toBe(plainWords(ir));
      }),
      RUNS,
    );
  });

  it('IR -> HTML -> IR keeps the plain text of IR read from any HTML', () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        const ir = matrixHtmlToIr(html);
        expect(plainWords(matrixHtmlToIr(irToMatrixHtml(ir)))).toBe(plainWords(ir));
      }),
      RUNS,
    );
  });
});
