import type { Inline, RichText } from '@trestle/core';

/** Inline styles a scenario can ask a network to show. */
export type InlineStyle = 'bold' | 'italic' | 'strike' | 'code';

/** One paragraph of inline nodes. */
export function paragraph(...children: Inline[]): RichText {
  return { blocks: [{ type: 'paragraph', children }] };
}

/** Plain text as IR. */
export function plainText(text: string): RichText {
  return paragraph({ type: 'text', text });
}

function inlineText(node: Inline): string {
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
      return node.children.map(inlineText).join('');
  }
}

function* inlines(rich: RichText): Generator<Inline> {
  const walk = function* (nodes: Inline[]): Generator<Inline> {
    for (const node of nodes) {
      yield node;
      if ('children' in node) yield* walk(node.children);
    }
  };
  const blocks = [...rich.blocks];
  while (blocks.length > 0) {
    const block = blocks.shift()!;
    if (block.type === 'paragraph' || block.type === 'heading') yield* walk(block.children);
    else if (block.type === 'quote') blocks.unshift(...block.children);
    else if (block.type === 'list') blocks.unshift(...block.items.flat());
  }
}

/** The texts shown in `style` (e.g. every bold run), for asserting that formatting survived. */
export function styledTexts(rich: RichText, style: InlineStyle): string[] {
  return [...inlines(rich)].filter((node) => node.type === style).map(inlineText);
}
