import { describe, expect, it } from '@jest/globals';
import type { Inline } from './ir';
import { matrixHtmlToIr } from './matrix-html-to-ir';

/** The inlines of a message that is a single paragraph. */
function inlinesOf(html: string): Inline[] {
  const { blocks } = matrixHtmlToIr(html);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.type).toBe('paragraph');
  return (blocks[0] as { children: Inline[] }).children;
}

const text = (t: string): Inline => ({ type: 'text', text: t });

describe('matrixHtmlToIr: inline formatting', () => {
  it.each([
    ['b', 'bold'],
    ['strong', 'bold'],
    ['i', 'italic'],
    ['em', 'italic'],
    ['u', 'underline'],
    ['del', 'strike'],
    ['s', 'strike'],
    ['strike', 'strike'],
    ['sup', 'superscript'],
    ['sub', 'subscript'],
  ])('<%s> becomes %s', (tag, type) => {
    expect(inlinesOf(`a <${tag}>b</${tag}> c`)).toEqual([
      text('a '),
      { type, children: [text('b')] },
      text(' c'),
    ]);
  });

  it('keeps nesting of formatting', () => {
    expect(inlinesOf('<b>bold <i>both</i></b>')).toEqual([
      { type: 'bold', children: [text('bold '), { type: 'italic', children: [text('both')] }] },
    ]);
  });

  it('reads spoilers with or without a reason', () => {
    expect(inlinesOf('<span data-mx-spoiler>x</span><span data-mx-spoiler="plot">y</span>')).toEqual([
      { type: 'spoiler', children: [text('x')] },
      { type: 'spoiler', children: [text('y')] },
    ]);
  });

  it('reads inline code verbatim, without interpreting markup inside', () => {
    expect(inlinesOf('run <code>a &lt;b&gt; &amp;&amp; c</code>')).toEqual([
      text('run '),
      { type: 'code', text: 'a <b> && c' },
    ]);
  });

  it('reads colours from span data-mx-* and legacy font color, widening #rgb', () => {
    expect(inlinesOf('<span data-mx-color="#FF0000" data-mx-bg-color="#00ff00">x</span>')).toEqual([
      { type: 'color', fg: '#ff0000', bg: '#00ff00', children: [text('x')] },
    ]);
    expect(inlinesOf('<font color="#abc">y</font>')).toEqual([
      { type: 'color', fg: '#aabbcc', children: [text('y')] },
    ]);
  });

  it('ignores colours that are not hex codes', () => {
    expect(inlinesOf('<font color="red">y</font> <span data-mx-color="url(x)">z</span>')).toEqual([
      text('y z'),
    ]);
  });

  it('turns <br> into line breaks', () => {
    expect(inlinesOf('one<br>two<br/>three')).toEqual([
      text('one'),
      { type: 'linebreak' },
      text('two'),
      { type: 'linebreak' },
      text('three'),
    ]);
  });

  it('decodes entities in text and attributes', () => {
    expect(inlinesOf('&lt;3 &amp; &#x1F600; &eacute; <a href="https://e.org/?a=1&amp;b=2">l</a>')).toEqual([
      text('<3 & 😀 é '),
      { type: 'link', href: 'https://e.org/?a=1&b=2', children: [text('l')] },
    ]);
  });

  it('collapses source whitespace as HTML does', () => {
    expect(inlinesOf('  hello \n\t  <b> big </b>  world  ')).toEqual([
      text('hello '),
      { type: 'bold', children: [text('big ')] },
      text('world'),
    ]);
  });
});

describe('matrixHtmlToIr: links and mentions', () => {
  it('keeps http, https and mailto links', () => {
    expect(inlinesOf('<a href="https://example.org">site</a> <a href="mailto:a@b.c">mail</a>')).toEqual([
      { type: 'link', href: 'https://example.org', children: [text('site')] },
      text(' '),
      { type: 'link', href: 'mailto:a@b.c', children: [text('mail')] },
    ]);
  });

  it('turns other schemes into plain text', () => {
    expect(
      inlinesOf('<a href="javascript:alert(1)">x</a> <a href="ftp://h/f">y</a> <a href="/rel">z</a>'),
    ).toEqual([text('x y z')]);
  });

  it('uses the URL as text for an empty link', () => {
    expect(inlinesOf('<a href="https://e.org"></a>')).toEqual([
      { type: 'link', href: 'https://e.org', children: [text('https://e.org')] },
    ]);
  });

  it('turns an Element user pill into a user mention', () => {
    expect(inlinesOf('hi <a href="https://matrix.to/#/@alice:example.org">Alice</a>')).toEqual([
      text('hi '),
      { type: 'mention', target: { kind: 'user', matrixId: '@alice:example.org' }, text: 'Alice' },
    ]);
  });

  it('turns room and alias links into channel mentions, matrix: URIs too', () => {
    expect(
      inlinesOf(
        '<a href="https://matrix.to/#/%23room%3Aexample.org?via=example.org">#room</a> ' +
          '<a href="matrix:roomid/abc:example.org?via=x">r</a> <a href="matrix:u/bob:example.org">Bob</a>',
      ),
    ).toEqual([
      { type: 'mention', target: { kind: 'channel', matrixId: '#room:example.org' }, text: '#room' },
      text(' '),
      { type: 'mention', target: { kind: 'channel', matrixId: '!abc:example.org' }, text: 'r' },
      text(' '),
      { type: 'mention', target: { kind: 'user', matrixId: '@bob:example.org' }, text: 'Bob' },
    ]);
  });

  it('keeps a permalink to one event as a link', () => {
    const href = 'https://matrix.to/#/!room:example.org/$event?via=example.org';
    expect(inlinesOf(`<a href="${href}">this</a>`)).toEqual([
      { type: 'link', href, children: [text('this')] },
    ]);
  });

  it('uses the Matrix ID when a pill has no text', () => {
    expect(inlinesOf('<a href="https://matrix.to/#/@a:b.c"> </a>')).toEqual([
      { type: 'mention', target: { kind: 'user', matrixId: '@a:b.c' }, text: '@a:b.c' },
    ]);
  });

  it('flattens a link nested in a link to its text', () => {
    expect(inlinesOf('<a href="https://a.org">x <a href="https://b.org">y</a></a>')).toEqual([
      { type: 'link', href: 'https://a.org', children: [text('x y')] },
    ]);
  });
});

describe('matrixHtmlToIr: images', () => {
  it('reads custom emoji with their name, source and fallback', () => {
    expect(
      inlinesOf('<img data-mx-emoticon src="mxc://hs/cat" alt=":blobcat:" title=":blobcat:" height="32">'),
    ).toEqual([{ type: 'emoji', name: 'blobcat', url: 'mxc://hs/cat', fallback: ':blobcat:' }]);
  });

  it('turns other images into their alt text, or a link when a URL can be made', () => {
    expect(inlinesOf('<img src="mxc://hs/pic" alt="a cat">')).toEqual([text('a cat')]);
    const ir = matrixHtmlToIr('<img src="mxc://hs/pic" alt="a cat">', {
      mediaUrl: (mxc) => `https://media.example/${mxc.slice(6)}`,
    });
    expect(ir.blocks[0]).toEqual({
      type: 'paragraph',
      children: [{ type: 'link', href: 'https://media.example/hs/pic', children: [text('a cat')] }],
    });
  });
});

describe('matrixHtmlToIr: blocks', () => {
  it('splits paragraphs and divs into paragraphs, ignoring whitespace between blocks', () => {
    expect(matrixHtmlToIr('<p>one</p>\n<div>two</div>\n three').blocks).toEqual([
      { type: 'paragraph', children: [text('one')] },
      { type: 'paragraph', children: [text('two')] },
      { type: 'paragraph', children: [text('three')] },
    ]);
  });

  it('reads headings with their level', () => {
    expect(matrixHtmlToIr('<h1>Title</h1><h6>small</h6>').blocks).toEqual([
      { type: 'heading', level: 1, children: [text('Title')] },
      { type: 'heading', level: 6, children: [text('small')] },
    ]);
  });

  it('reads a code block with its language, keeping whitespace exactly', () => {
    expect(
      matrixHtmlToIr('<pre><code class="language-python">def f():\n    return  1\n</code></pre>').blocks,
    ).toEqual([{ type: 'codeblock', language: 'python', text: 'def f():\n    return  1' }]);
  });

  it('reads a code block without a language', () => {
    expect(matrixHtmlToIr('<pre><code>x &lt; y</code></pre>').blocks).toEqual([
      { type: 'codeblock', text: 'x < y' },
    ]);
  });

  it('reads quotes containing blocks', () => {
    expect(
      matrixHtmlToIr('<blockquote>\n<p>quoted</p>\n<p>twice</p>\n</blockquote>\n<p>reply</p>').blocks,
    ).toEqual([
      {
        type: 'quote',
        children: [
          { type: 'paragraph', children: [text('quoted')] },
          { type: 'paragraph', children: [text('twice')] },
        ],
      },
      { type: 'paragraph', children: [text('reply')] },
    ]);
  });

  it('reads nested lists and the start of ordered lists', () => {
    const html = '<ol start="3">\n<li>three</li>\n<li>four\n<ul>\n<li>inner</li>\n</ul>\n</li>\n</ol>';
    expect(matrixHtmlToIr(html).blocks).toEqual([
      {
        type: 'list',
        ordered: true,
        start: 3,
        items: [
          [{ type: 'paragraph', children: [text('three')] }],
          [
            { type: 'paragraph', children: [text('four')] },
            { type: 'list', ordered: false, items: [[{ type: 'paragraph', children: [text('inner')] }]] },
          ],
        ],
      },
    ]);
  });

  it('attaches a list written as a sibling of <li> to the item before it', () => {
    expect(matrixHtmlToIr('<ul><li>a</li><ul><li>b</li></ul></ul>').blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [
          [
            { type: 'paragraph', children: [text('a')] },
            { type: 'list', ordered: false, items: [[{ type: 'paragraph', children: [text('b')] }]] },
          ],
        ],
      },
    ]);
  });

  it('reads horizontal rules', () => {
    expect(matrixHtmlToIr('a<hr>b').blocks).toEqual([
      { type: 'paragraph', children: [text('a')] },
      { type: 'rule' },
      { type: 'paragraph', children: [text('b')] },
    ]);
  });

  it('reads table rows as lines with cells separated by bars', () => {
    const html =
      '<table><thead><tr><th>Name</th><th>Age</th></tr></thead><tbody><tr><td>Al</td><td>3</td></tr></tbody></table>';
    expect(matrixHtmlToIr(html).blocks).toEqual([
      { type: 'paragraph', children: [text('Name | Age')] },
      { type: 'paragraph', children: [text('Al | 3')] },
    ]);
  });

  it('ends the line after a block element met inside inline formatting', () => {
    expect(inlinesOf('<b><p>one</p>two</b>')).toEqual([
      { type: 'bold', children: [text('one'), { type: 'linebreak' }, text('two')] },
    ]);
  });

  it('returns no blocks for empty or whitespace-only HTML', () => {
    expect(matrixHtmlToIr('').blocks).toEqual([]);
    expect(matrixHtmlToIr(' \n <p> </p> <b></b>').blocks).toEqual([]);
  });
});

describe('matrixHtmlToIr: what Element sends', () => {
  it('drops the rich-reply fallback entirely', () => {
    const html =
      '<mx-reply><blockquote><a href="https://matrix.to/#/!r:hs/$ev">In reply to</a> ' +
      '<a href="https://matrix.to/#/@bob:hs">@bob:hs</a><br>original <b>text</b></blockquote></mx-reply>my answer';
    expect(matrixHtmlToIr(html).blocks).toEqual([{ type: 'paragraph', children: [text('my answer')] }]);
  });

  it('reads a Markdown-composed message with a pill, code and a list', () => {
    const html =
      '<p><a href="https://matrix.to/#/@alice:example.org">Alice</a>: try <code>npm ci</code></p>\n' +
      '<ul>\n<li><strong>fast</strong></li>\n<li><em>safe</em></li>\n</ul>\n' +
      '<pre><code class="language-sh">npm ci\n</code></pre>\n';
    expect(matrixHtmlToIr(html).blocks).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'mention', target: { kind: 'user', matrixId: '@alice:example.org' }, text: 'Alice' },
          text(': try '),
          { type: 'code', text: 'npm ci' },
        ],
      },
      {
        type: 'list',
        ordered: false,
        items: [
          [{ type: 'paragraph', children: [{ type: 'bold', children: [text('fast')] }] }],
          [{ type: 'paragraph', children: [{ type: 'italic', children: [text('safe')] }] }],
        ],
      },
      { type: 'codeblock', language: 'sh', text: 'npm ci' },
    ]);
  });
});

describe('matrixHtmlToIr: hostile input', () => {
  it('drops script and style content and the tags of unknown elements', () => {
    expect(
      inlinesOf('<script>alert(1)</script><style>b{}</style><marquee>keep</marquee><x-y>me</x-y>'),
    ).toEqual([text('keepme')]);
  });

  it('ignores event-handler attributes and stays text for unknown ones', () => {
    expect(inlinesOf('<b onclick="alert(1)" style="font-size:99px">x</b>')).toEqual([
      { type: 'bold', children: [text('x')] },
    ]);
  });

  it('closes unclosed tags at the end', () => {
    expect(inlinesOf('<b>bold <i>both')).toEqual([
      { type: 'bold', children: [text('bold '), { type: 'italic', children: [text('both')] }] },
    ]);
  });

  it('survives nesting far deeper than the stack allows, keeping the text', () => {
    const depth = 100_000;
    const html = '<b><i>'.repeat(depth / 2) + 'deep' + '</i></b>'.repeat(depth / 2);
    const ir = matrixHtmlToIr(html);
    expect(JSON.stringify(ir)).toContain('deep');
  });

  it('never throws on garbage', () => {
    for (const junk of [
      '<',
      '</',
      '<a href=',
      '<<>>',
      '&#xFFFFFFFF;',
      '<img src=x onerror=alert(1)//',
      '\u0000<b\u0000>',
    ]) {
      expect(() => matrixHtmlToIr(junk)).not.toThrow();
    }
  });
});
