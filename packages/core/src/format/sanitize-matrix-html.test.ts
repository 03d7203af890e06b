import { describe, expect, it } from '@jest/globals';
import { sanitizeMatrixHtml } from './sanitize-matrix-html';

describe('sanitizeMatrixHtml', () => {
  it('keeps the tags and attributes the Matrix spec permits', () => {
    const html =
      '<p><strong>b</strong> <a href="https://e.org" target="_blank">l</a> ' +
      '<span data-mx-spoiler="why" data-mx-color="#112233">s</span></p>' +
      '<ol start="3"><li>x</li></ol><pre><code class="language-js">c</code></pre>' +
      '<img src="mxc://hs/id" alt="a" width="32" height="32" />';
    expect(sanitizeMatrixHtml(html)).toBe(html);
  });

  it('removes scripts, styles, reply fallbacks and event handlers', () => {
    expect(
      sanitizeMatrixHtml(
        '<mx-reply>old</mx-reply><script>alert(1)</script><style>*{}</style><b onclick="x" style="color:red">ok</b>',
      ),
    ).toBe('<b>ok</b>');
  });

  it('removes dangerous and relative link targets but keeps the text', () => {
    expect(sanitizeMatrixHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeMatrixHtml('<a href="/relative">y</a><a href="//evil.example">z</a>')).toBe(
      '<a>y</a><a>z</a>',
    );
  });

  it('keeps only mxc images', () => {
    expect(sanitizeMatrixHtml('<img src="https://tracker.example/p.gif" alt="t" />')).toBe('<img alt="t" />');
  });

  it('drops non-permitted tags, keeping their text, and invalid attribute values', () => {
    expect(sanitizeMatrixHtml('<font color="#ff0000">f</font><marquee>m</marquee>')).toBe('fm');
    expect(sanitizeMatrixHtml('<span data-mx-color="red">r</span><ol start="x"><li>i</li></ol>')).toBe(
      '<span>r</span><ol><li>i</li></ol>',
    );
    expect(sanitizeMatrixHtml('<code class="hljs language-ts">c</code>')).toBe(
      '<code class="language-ts">c</code>',
    );
  });
});
