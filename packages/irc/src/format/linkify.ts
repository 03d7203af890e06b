/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
import type { Inline } from '@trestle/core';

const URL_PATTERN = /\b(?:https?|ftp):\/\/[^\s<>"\x00-\x1f]+|\bmailto:[^\s<>"\x00-\x1f]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/;

/**
 * Turn URLs in plain IRC text into link nodes (IRC has no link markup, so every link is a bare URL).
 * Trailing sentence punctuation and an unbalanced closing parenthesis stay outside the link.
 */
export function linkifyText(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0].replace(TRAILING_PUNCTUATION, '');
    while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    const start = match.index;
    if (start > last) out.push({ type: 'text', text: text.slice(last, start) });
    out.push({ type: 'link', href: url, children: [{ type: 'text', text: url }] });
    last = start + url.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

const count = (s: string, ch: string) => s.split(ch).length - 1;
