/**
 * Mentions in IRC text: IRC has no mention markup, people just write a nick (`bob: hi`, `thanks
 * bob`). Words that name someone the bridge knows — an IRC user in the channel, a Matrix user's
 * virtual nick, or a relayed Matrix name — become mention nodes, so Matrix shows a pill and
 * notifies the person.
 */
import type { Inline, MentionTarget, RichText } from '@trestle/core';

/** Who a word names, or undefined. Called with the word as written (the caller folds case). */
export type MentionResolver = (word: string) => MentionTarget | undefined;

/** Nick characters per RFC 2812 plus the common extras; a word is a maximal run of them. */
const NICK_WORD = /[A-Za-z0-9[\]\\`^{}|_-]+/g;

/** Replace known nicks in plain text runs (not inside links or code) with mention nodes. */
export function linkMentions(doc: RichText, resolve: MentionResolver): RichText {
  return {
    blocks: doc.blocks.map((block) =>
      block.type === 'paragraph' ? { ...block, children: inlines(block.children, resolve) } : block,
    ),
  };
}

function inlines(nodes: Inline[], resolve: MentionResolver): Inline[] {
  return nodes.flatMap((node): Inline[] => {
    if (node.type === 'text') return splitText(node.text, resolve);
    if ('children' in node && node.type !== 'link') {
      return [{ ...node, children: inlines(node.children, resolve) } as Inline];
    }
    return [node];
  });
}

function splitText(text: string, resolve: MentionResolver): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(NICK_WORD)) {
    const target = resolve(match[0]);
    if (!target) continue;
    if (match.index > last) out.push({ type: 'text', text: text.slice(last, match.index) });
    out.push({ type: 'mention', target, text: match[0] });
    last = match.index + match[0].length;
  }
  if (last === 0) return [{ type: 'text', text }];
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}
