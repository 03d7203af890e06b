import { uriScheme } from './matrix-html-allow-list';

/** Schemes Trestle turns into clickable links, both from Matrix and towards it. */
const LINKABLE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Whether an IR link may stay a link: absolute http, https or mailto. Anything else
 * (`javascript:`, relative paths, network-specific schemes) is shown as its text only.
 */
export function isLinkableHref(href: string): boolean {
  const scheme = uriScheme(href);
  return scheme !== undefined && LINKABLE_SCHEMES.has(scheme);
}
