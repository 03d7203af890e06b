/**
 * The HTML the Matrix specification strongly suggests clients permit in `formatted_body`
 * (client-server API, "m.room.message msgtypes", spec v1.10+). Everything Trestle sends to Matrix,
 * and every piece of untrusted HTML it passes on, is held to exactly this list.
 *
 * `font` and `strike` are deliberately absent: the spec deprecated them in favour of
 * `span[data-mx-color]` and `s`/`del`. The parser still understands them on the way in.
 */

/** Tags the Matrix spec suggests permitting. */
export const MATRIX_HTML_ALLOWED_TAGS: readonly string[] = Object.freeze([
  'del',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'p',
  'a',
  'ul',
  'ol',
  'sup',
  'sub',
  'li',
  'b',
  'i',
  'u',
  'strong',
  'em',
  's',
  'code',
  'hr',
  'br',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'caption',
  'pre',
  'span',
  'img',
  'details',
  'summary',
]);

/** Attributes the Matrix spec permits, per tag; any tag not listed may carry none. */
export const MATRIX_HTML_ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  span: ['data-mx-bg-color', 'data-mx-color', 'data-mx-spoiler', 'data-mx-maths'],
  a: ['target', 'href'],
  img: ['width', 'height', 'alt', 'title', 'src'],
  ol: ['start'],
  code: ['class'],
  div: ['data-mx-maths'],
});

/** URI schemes an `a[href]` may use (the spec forbids relative links). */
export const MATRIX_LINK_SCHEMES: readonly string[] = Object.freeze([
  'https',
  'http',
  'ftp',
  'mailto',
  'magnet',
]);

/** URI schemes an `img[src]` may use: only Matrix content URIs. */
export const MATRIX_IMAGE_SCHEMES: readonly string[] = Object.freeze(['mxc']);

/** The nesting depth the spec caps tags at. */
export const MATRIX_HTML_MAX_DEPTH = 100;

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** The lower-cased scheme of an absolute URI, or `undefined` for a relative or malformed one. */
export function uriScheme(uri: string): string | undefined {
  const match = SCHEME.exec(uri.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/** Whether `href` may appear as a link target in Matrix HTML (absolute, with an allowed scheme). */
export function isAllowedMatrixLinkHref(href: string): boolean {
  const scheme = uriScheme(href);
  return scheme !== undefined && MATRIX_LINK_SCHEMES.includes(scheme);
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** Whether `value` is a colour as the spec's `data-mx-color` wants it: `#` and six hex digits. */
export function isMatrixHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}
