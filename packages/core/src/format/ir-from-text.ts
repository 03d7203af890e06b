import type { Block, Inline, RichText } from './ir';

/**
 * Builds IR from plain text: blank lines separate paragraphs, single newlines become line
 * breaks, text is kept verbatim otherwise (no markup is interpreted). Empty text gives no blocks.
 */
export function irFromText(text: string): RichText {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = chunk.replace(/^\n+|\n+$/g, '').split('\n');
    if (lines.length === 1 && lines[0] === '') continue;
    const children: Inline[] = [];
    lines.forEach((line, i) => {
      if (i > 0) children.push({ type: 'linebreak' });
      if (line) children.push({ type: 'text', text: line });
    });
    blocks.push({ type: 'paragraph', children });
  }
  return { blocks };
}
