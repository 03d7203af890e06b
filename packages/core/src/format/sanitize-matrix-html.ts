import type sanitizeHtml from 'sanitize-html';
import {
  MATRIX_HTML_ALLOWED_ATTRIBUTES,
  MATRIX_HTML_ALLOWED_TAGS,
  MATRIX_HTML_MAX_DEPTH,
  MATRIX_IMAGE_SCHEMES,
  MATRIX_LINK_SCHEMES,
  isAllowedMatrixLinkHref,
  isMatrixHexColor,
  uriScheme,
} from './matrix-html-allow-list';

const INTEGER = /^-?\d{1,9}$/;
const DIMENSION = /^\d{1,5}$/;

/**
 * sanitize-html checks names and schemes but lets relative URLs through, and never checks other
 * values; these transforms drop attribute values the spec
 * does not describe (colours that are not `#rrggbb`, non-numeric sizes), so nothing odd
 * reaches a client's CSS.
 */
function keepValid(valid: Record<string, (value: string) => boolean>): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const kept: sanitizeHtml.Attributes = {};
    for (const [name, value] of Object.entries(attribs)) {
      const check = valid[name];
      if (!check || check(value)) kept[name] = value;
    }
    return { tagName, attribs: kept };
  };
}

const colorChecks = { 'data-mx-color': isMatrixHexColor, 'data-mx-bg-color': isMatrixHexColor };

let sanitize: typeof sanitizeHtml | undefined;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...MATRIX_HTML_ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(
    Object.entries(MATRIX_HTML_ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]]),
  ),
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: [...MATRIX_LINK_SCHEMES],
  allowedSchemesByTag: { img: [...MATRIX_IMAGE_SCHEMES] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Contents of these are never readable text; mx-reply is the obsolete rich-reply fallback.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'mx-reply', 'title', 'head', 'template'],
  nestingLimit: MATRIX_HTML_MAX_DEPTH,
  parseStyleAttributes: false,
  transformTags: {
    span: keepValid(colorChecks),
    ol: keepValid({ start: (v) => INTEGER.test(v) }),
    a: keepValid({ href: isAllowedMatrixLinkHref }),
    img: keepValid({
      src: (v) => MATRIX_IMAGE_SCHEMES.includes(uriScheme(v) ?? ''),
      width: (v) => DIMENSION.test(v),
      height: (v) => DIMENSION.test(v),
    }),
  },
};

/**
 * Cleans untrusted HTML (from a remote network, or generated) down to what the Matrix spec
 * permits: only its suggested tags and per-tag attributes, links only to absolute
 * http/https/ftp/mailto/magnet URIs, images only from `mxc://`, code classes only `language-*`,
 * colours only `#rrggbb`, nesting capped at 100. Disallowed tags are dropped but their text is
 * kept, except for script/style-like tags and `mx-reply`, whose content is dropped too.
 */
export function sanitizeMatrixHtml(html: string): string {
  // Loaded on first use, so an idle bridge does not carry it and its parser (~2 MB).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sanitize ??= require('sanitize-html') as typeof sanitizeHtml;
  return sanitize(html, OPTIONS);
}
