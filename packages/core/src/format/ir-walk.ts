import type { Block, ContainerInline, Inline, RichText } from './ir';

/** Replaces one inline node: return it (or a changed copy), several nodes, or `[]` to remove it. */
export type InlineMapper = (node: Inline) => Inline | Inline[];

function hasChildren(node: Inline): node is ContainerInline {
  return 'children' in node;
}

function mapInlines(inlines: readonly Inline[], fn: InlineMapper): Inline[] {
  const out: Inline[] = [];
  for (const node of inlines) {
    const input = hasChildren(node) ? { ...node, children: mapInlines(node.children, fn) } : node;
    const result = fn(input);
    if (Array.isArray(result)) for (const r of result) out.push(r);
    else out.push(result);
  }
  return out;
}

function mapBlock(block: Block, fn: InlineMapper): Block {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return { ...block, children: mapInlines(block.children, fn) };
    case 'quote':
      return { ...block, children: block.children.map((b) => mapBlock(b, fn)) };
    case 'list':
      return { ...block, items: block.items.map((item) => item.map((b) => mapBlock(b, fn))) };
    default:
      return block;
  }
}

/**
 * Returns a copy of `ir` with every inline node passed through `fn`, innermost first (a
 * container reaches `fn` with its children already mapped). The input is not modified.
 * Typical use: rewrite mentions once the target's Matrix ID or remote ID is known.
 */
export function irMapInlines(ir: RichText, fn: InlineMapper): RichText {
  return { blocks: ir.blocks.map((block) => mapBlock(block, fn)) };
}

function visitInlines(inlines: readonly Inline[], visit: (node: Inline) => void): void {
  for (const node of inlines) {
    visit(node);
    if (hasChildren(node)) visitInlines(node.children, visit);
  }
}

function visitBlock(block: Block, visit: (node: Inline) => void): void {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return visitInlines(block.children, visit);
    case 'quote':
      return block.children.forEach((b) => visitBlock(b, visit));
    case 'list':
      return block.items.forEach((item) => item.forEach((b) => visitBlock(b, visit)));
  }
}

/**
 * Calls `visit` for every inline node in document order, outer before inner.
 * Typical use: collect the mentioned users for `m.mentions`.
 */
export function irForEachInline(ir: RichText, visit: (node: Inline) => void): void {
  for (const block of ir.blocks) visitBlock(block, visit);
}
