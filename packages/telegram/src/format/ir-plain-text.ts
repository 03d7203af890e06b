/**
 * The plain text of rich text as Telegram shows it: blocks on their own lines, mentions and
 * custom emoji as their visible text. Used for captions' fallbacks, reply previews and tests.
 */
import type { Block, Inline, RichText } from '@trestle/core';

export function inlinePlainText(nodes: readonly Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
        case 'mention':
          return node.text;
        case 'emoji':
          return node.fallback;
        case 'linebreak':
          return '\n';
        default:
          return inlinePlainText(node.children);
      }
    })
    .join('');
}

function blockPlainText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlinePlainText(block.children);
    case 'codeblock':
      return block.text;
    case 'quote':
      return block.children.map(blockPlainText).join('\n');
    case 'list':
      return block.items.map((item) => item.map(blockPlainText).join('\n')).join('\n');
    case 'rule':
      return '';
  }
}

/** Blocks joined by newlines; no markers for lists or rules (see the Telegram renderer for those). */
export function richTextPlainText(rich: RichText): string {
  return rich.blocks.map(blockPlainText).join('\n');
}
