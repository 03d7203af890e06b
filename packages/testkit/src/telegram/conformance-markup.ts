/**
 * Markup for the conformance driver: the core IR a scenario posts, written as Bot API HTML the way a
 * Telegram client would send it; and Telegram entities read back into IR, to check what the bridge sent.
 */
import type { Inline, RichText } from '@trestle/core';
import type { MessageEntity } from 'telegraf/types';

const tags: Partial<Record<Inline['type'], string>> = {
  bold: 'b',
  italic: 'i',
  underline: 'u',
  strike: 's',
  spoiler: 'tg-spoiler',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inlineHtml(node: Inline): string {
  switch (node.type) {
    case 'text':
      return escape(node.text);
    case 'code':
      return `<code>${escape(node.text)}</code>`;
    case 'mention':
      return escape(node.text);
    case 'emoji':
      return escape(node.fallback);
    case 'linebreak':
      return '\n';
    case 'link':
      return `<a href="${escape(node.href)}">${node.children.map(inlineHtml).join('')}</a>`;
    default: {
      const tag = tags[node.type];
      const inner = node.children.map(inlineHtml).join('');
      return tag ? `<${tag}>${inner}</${tag}>` : inner;
    }
  }
}

/** Paragraphs (and headings) of the IR as Bot API HTML; other blocks as their text. */
export function irToTelegramHtml(rich: RichText): string {
  return rich.blocks
    .map((block) =>
      block.type === 'paragraph' || block.type === 'heading' ? block.children.map(inlineHtml).join('') : '',
    )
    .join('\n\n');
}

const styles: Record<string, 'bold' | 'italic' | 'underline' | 'strike' | 'spoiler'> = {
  bold: 'bold',
  italic: 'italic',
  underline: 'underline',
  strikethrough: 'strike',
  spoiler: 'spoiler',
};

/**
 * Telegram text and entities as one IR paragraph: the text is cut at every entity boundary and each
 * piece wrapped in the styles covering it (code pieces become code nodes).
 */
export function telegramEntitiesToIr(text: string, entities: readonly MessageEntity[] = []): RichText {
  const cuts = new Set([0, text.length]);
  for (const e of entities) cuts.add(e.offset).add(e.offset + e.length);
  const points = [...cuts].filter((p) => p <= text.length).sort((a, b) => a - b);
  const children: Inline[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    const covering = entities.filter((e) => e.offset <= from && e.offset + e.length >= to);
    const piece = text.slice(from, to);
    let node: Inline = covering.some((e) => e.type === 'code' || e.type === 'pre')
      ? { type: 'code', text: piece }
      : { type: 'text', text: piece };
    for (const e of covering) {
      const style = styles[e.type];
      if (style) node = { type: style, children: [node] };
    }
    children.push(node);
  }
  return { blocks: [{ type: 'paragraph', children }] };
}
