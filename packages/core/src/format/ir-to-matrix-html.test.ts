import { describe, expect, it } from '@jest/globals';
import type { Inline, RichText } from './ir';
import { irToMatrixHtml } from './ir-to-matrix-html';
import { matrixHtmlToIr } from './matrix-html-to-ir';

const text = (t: string): Inline => ({ type: 'text', text: t });
const para = (...children: Inline[]): RichText => ({ blocks: [{ type: 'paragraph', children }] });

describe('irToMatrixHtml', () => {
  it.each([
    ['bold', '<strong>x</strong>'],
    ['italic', '<em>x</em>'],
    ['underline', '<u>x</u>'],
    ['strike', '<del>x</del>'],
    ['superscript', '<sup>x</sup>'],
    ['subscript', '<sub>x</sub>'],
    ['spoiler', '<span data-mx-spoiler>x</span>'],
  ] as const)('writes %s as %s', (type, html) => {
    expect(irToMatrixHtml(para({ type, children: [text('x')] }))).toBe(html);
  });

  it('writes a lone paragraph without <p>, several with', () => {
    expect(irToMatrixHtml(para(text('hi')))).toBe('hi');
    expect(irToMatrixHtml({ blocks: [...para(text('a')).blocks, ...para(text('b')).blocks] })).toBe(
      '<p>a</p><p>b</p>',
    );
  });

  it('escapes text and writes newlines as <br>', () => {
    expect(irToMatrixHtml(para(text('<b>&"\nnext')))).toBe('&lt;b&gt;&amp;"<br />next');
  });

  it('writes colours as span data-mx-color / data-mx-bg-color, dropping invalid ones', () => {
    expect(irToMatrixHtml(para({ type: 'color', fg: '#FF0000', bg: '#00ff00', children: [text('x')] }))).toBe(
      '<span data-mx-color="#ff0000" data-mx-bg-color="#00ff00">x</span>',
    );
    expect(irToMatrixHtml(para({ type: 'color', fg: 'red', children: [text('x')] }))).toBe('x');
  });

  it('writes user and room mentions with a Matrix ID as matrix.to pills', () => {
    const html = irToMatrixHtml(
      para(
        { type: 'mention', target: { kind: 'user', matrixId: '@alice:example.org' }, text: 'Alice' },
        text(' in '),
        { type: 'mention', target: { kind: 'channel', matrixId: '#room:example.org' }, text: '#room' },
      ),
    );
    expect(html).toBe(
      '<a href="https://matrix.to/#/@alice:example.org">Alice</a> in <a href="https://matrix.to/#/#room:example.org">#room</a>',
    );
  });

  it('writes roles, everyone and unresolved remote users as text', () => {
    expect(
      irToMatrixHtml(
        para(
          { type: 'mention', target: { kind: 'role', remoteId: '1' }, text: '@mods' },
          text(' '),
          { type: 'mention', target: { kind: 'everyone' }, text: '@everyone' },
          text(' '),
          { type: 'mention', target: { kind: 'user', remoteId: '9' }, text: '@nick' },
        ),
      ),
    ).toBe('@mods @everyone @nick');
  });

  it('lets a resolver decide the link and text of a mention', () => {
    const ir = para({ type: 'mention', target: { kind: 'user', remoteId: '42' }, text: 'old' });
    expect(
      irToMatrixHtml(ir, { resolveMention: () => ({ href: 'https://matrix.to/#/@d_42:hs', text: 'Dee' }) }),
    ).toBe('<a href="https://matrix.to/#/@d_42:hs">Dee</a>');
    expect(irToMatrixHtml(ir, { resolveMention: () => ({ href: 'javascript:x', text: 'Dee' }) })).toBe('Dee');
  });

  it('writes links, and unsafe links as their text only', () => {
    expect(
      irToMatrixHtml(para({ type: 'link', href: 'https://e.org/?a=1&b=2', children: [text('e')] })),
    ).toBe('<a href="https://e.org/?a=1&amp;b=2">e</a>');
    expect(irToMatrixHtml(para({ type: 'link', href: 'javascript:alert(1)', children: [text('e')] }))).toBe(
      'e',
    );
    expect(irToMatrixHtml(para({ type: 'link', href: 'https://e.org', children: [] }))).toBe(
      '<a href="https://e.org">https://e.org</a>',
    );
  });

  it('writes custom emoji from mxc:// as inline images, others as their fallback', () => {
    expect(irToMatrixHtml(para({ type: 'emoji', name: 'cat', url: 'mxc://hs/cat', fallback: ':cat:' }))).toBe(
      '<img src="mxc://hs/cat" alt=":cat:" title=":cat:" height="32" />',
    );
    expect(
      irToMatrixHtml(para({ type: 'emoji', name: 'cat', url: 'https://cdn/cat.png', fallback: '' })),
    ).toBe(':cat:');
  });

  it('writes code blocks with a language class and escaped text', () => {
    expect(irToMatrixHtml({ blocks: [{ type: 'codeblock', language: 'ts', text: 'a < b\n  c' }] })).toBe(
      '<pre><code class="language-ts">a &lt; b\n  c</code></pre>',
    );
    expect(irToMatrixHtml({ blocks: [{ type: 'codeblock', language: 'x" onclick="y', text: '' }] })).toBe(
      '<pre><code></code></pre>',
    );
  });

  it('writes lists with start, tight items and nesting', () => {
    const ir: RichText = {
      blocks: [
        {
          type: 'list',
          ordered: true,
          start: 4,
          items: [
            [{ type: 'paragraph', children: [text('a')] }],
            [
              { type: 'paragraph', children: [text('b')] },
              { type: 'list', ordered: false, items: [[{ type: 'paragraph', children: [text('c')] }]] },
            ],
          ],
        },
      ],
    };
    expect(irToMatrixHtml(ir)).toBe('<ol start="4"><li>a</li><li>b<ul><li>c</li></ul></li></ol>');
  });

  it('writes quotes, headings and rules', () => {
    const ir: RichText = {
      blocks: [
        { type: 'heading', level: 2, children: [text('T')] },
        { type: 'quote', children: [{ type: 'paragraph', children: [text('q')] }] },
        { type: 'rule' },
      ],
    };
    expect(irToMatrixHtml(ir)).toBe('<h2>T</h2><blockquote>q</blockquote><hr />');
  });

  it('survives IR nested deeper than the spec allows, keeping the text', () => {
    let inline: Inline = text('deep');
    for (let i = 0; i < 500; i++) inline = { type: i % 2 ? 'bold' : 'italic', children: [inline] };
    expect(irToMatrixHtml(para(inline))).toContain('deep');
  });
});

describe('Matrix HTML round trips', () => {
  it.each([
    'plain <strong>bold</strong> <em>it</em> <u>u</u> <del>s</del> <sup>1</sup> <sub>2</sub> <code>c</code>',
    '<span data-mx-spoiler>hidden</span> <span data-mx-color="#ff0000">red</span>',
    '<a href="https://matrix.to/#/@alice:example.org">Alice</a> see <a href="https://example.org/">site</a>',
    '<p>one<br />two</p><blockquote><p>q</p><ul><li>x</li></ul></blockquote>',
    '<h3>Title</h3><ol start="2"><li>a</li><li>b<ol><li>c</li></ol></li></ol><hr />',
    '<pre><code class="language-rust">fn main() {\n    println!("hi");\n}</code></pre><p>after</p>',
  ])('reads and writes %s unchanged', (html) => {
    expect(irToMatrixHtml(matrixHtmlToIr(html))).toBe(html);
  });

  it('keeps a trailing newline in a code block', () => {
    const ir: RichText = { blocks: [{ type: 'codeblock', text: 'x\n' }] };
    expect(matrixHtmlToIr(irToMatrixHtml(ir))).toEqual(ir);
  });
});
