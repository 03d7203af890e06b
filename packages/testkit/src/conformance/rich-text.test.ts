import { describe, expect, it } from '@jest/globals';
import { paragraph, styledTexts } from './rich-text';

describe('styledTexts', () => {
  it('finds styled runs nested in links, quotes and lists', () => {
    const rich = {
      blocks: [
        paragraph({
          type: 'link',
          href: 'https://a',
          children: [{ type: 'bold', children: [{ type: 'text', text: 'in link' }] }],
        }).blocks[0],
        {
          type: 'quote' as const,
          children: paragraph({ type: 'bold', children: [{ type: 'text', text: 'quoted' }] }).blocks,
        },
        {
          type: 'list' as const,
          ordered: false,
          items: [paragraph({ type: 'italic', children: [{ type: 'text', text: 'item' }] }).blocks],
        },
      ],
    };
    expect(styledTexts(rich, 'bold')).toEqual(['in link', 'quoted']);
    expect(styledTexts(rich, 'italic')).toEqual(['item']);
    expect(styledTexts(rich, 'code')).toEqual([]);
  });
});
