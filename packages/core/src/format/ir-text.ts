import type { Block, Inline } from './ir';
import { mentionFallbackText } from './mention-resolver';

type Emoji = Extract<Inline, { type: 'emoji' }>;

/** What a custom emoji reads as where it cannot be an image: its fallback, else `:name:`. */
export function emojiFallbackText(emoji: Emoji): string {
  return emoji.fallback || `:${emoji.name}:`;
}

/**
 * Text of an inline atom (code, a mention's name, an emoji fallback) as it shows inline:
 * newlines cannot break the line there, so they read as spaces.
 */
export function singleLine(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ');
}

/**
 * The bare text of inline content (no link targets, no markup), line breaks as `\n`.
 * Iterative, so it is safe on trees of any depth.
 */
export function inlineText(inlines: readonly Inline[]): string {
  return contentText(inlines);
}

/**
 * The bare text of any IR content, concatenated with no separators between blocks.
 * Used where structure must be given up (content nested beyond the depth cap).
 */
export function contentText(nodes: readonly (Inline | Block)[]): string {
  let out = '';
  const pending: (Inline | Block)[] = [...nodes].reverse();
  while (pending.length > 0) {
    const node = pending.pop()!;
    switch (node.type) {
      case 'text':
      case 'code':
      case 'codeblock':
        out += node.text;
        break;
      case 'mention':
        out += mentionFallbackText(node);
        break;
      case 'emoji':
        out += emojiFallbackText(node);
        break;
      case 'linebreak':
        out += '\n';
        break;
      case 'rule':
        break;
      case 'list':
        for (let i = node.items.length - 1; i >= 0; i--) pushReversed(pending, node.items[i]!);
        break;
      default:
        pushReversed(pending, node.children);
    }
  }
  return out;
}

function pushReversed(stack: (Inline | Block)[], nodes: readonly (Inline | Block)[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]!);
}
