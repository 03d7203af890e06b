import type { Inline, MentionTarget } from './ir';
import { isAllowedMatrixLinkHref } from './matrix-html-allow-list';
import { matrixToPermalink, parseMatrixLink } from './matrix-uri';

/**
 * Decides how a mention is shown on Matrix: a link (`href`, usually a matrix.to permalink,
 * which Element renders as a pill) and its text. Return `undefined` for the default.
 */
export type MentionResolver = (target: MentionTarget) => { href?: string; text: string } | undefined;

/** Options shared by the IR -> Matrix renderers. */
export interface MentionRenderOptions {
  /** Overrides how mentions render; the default pills users and rooms that carry a `matrixId`. */
  resolveMention?: MentionResolver;
}

type Mention = Extract<Inline, { type: 'mention' }>;

/** The text a mention shows when nothing better is known: its own text, else its Matrix ID. */
export function mentionFallbackText(mention: Mention): string {
  if (mention.text.trim()) return mention.text;
  const target = mention.target;
  return (target.kind === 'user' || target.kind === 'channel') && target.matrixId ? target.matrixId : '';
}

/**
 * How a mention renders: `href` set only when it is a safe Matrix link target. By default users
 * and rooms with a well-formed `matrixId` link to their matrix.to permalink; roles, `everyone`
 * and unresolved remote users are text.
 */
export function renderedMention(
  mention: Mention,
  resolve?: MentionResolver,
): { href?: string; text: string } {
  const resolved = resolve?.(mention.target);
  if (resolved) {
    return resolved.href !== undefined && isAllowedMatrixLinkHref(resolved.href)
      ? { href: resolved.href, text: resolved.text }
      : { text: resolved.text };
  }
  const text = mentionFallbackText(mention);
  const target = mention.target;
  if ((target.kind === 'user' || target.kind === 'channel') && target.matrixId) {
    const href = matrixToPermalink(target.matrixId);
    // Only pill what a client will read back as the same user or room.
    if (parseMatrixLink(href)) return { href, text };
  }
  return { text };
}
