import type { RichText } from './ir';

/**
 * Whether the IR says nothing plain text cannot: only paragraphs of text and line breaks.
 * Such messages need no `formatted_body` on Matrix and no markup on other networks.
 */
export function irIsPlain(ir: RichText): boolean {
  return ir.blocks.every(
    (block) =>
      block.type === 'paragraph' &&
      block.children.every((inline) => inline.type === 'text' || inline.type === 'linebreak'),
  );
}
