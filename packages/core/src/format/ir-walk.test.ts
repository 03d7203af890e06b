import { describe, expect, it } from '@jest/globals';
import type { Inline, RichText } from './ir';
import { irForEachInline, irMapInlines } from './ir-walk';

const ir: RichText = {
  blocks: [
    {
      type: 'paragraph',
      children: [
        {
          type: 'bold',
          children: [{ type: 'mention', target: { kind: 'user', remoteId: '1' }, text: 'one' }],
        },
      ],
    },
    {
      type: 'list',
      ordered: false,
      items: [
        [
          {
            type: 'quote',
            children: [{ type: 'heading', level: 1, children: [{ type: 'text', text: 't' }] }],
          },
        ],
      ],
    },
  ],
};

describe('irMapInlines', () => {
  it('rewrites mentions everywhere without touching the input', () => {
    const before = JSON.stringify(ir);
    const mapped = irMapInlines(ir, (node) =>
      node.type === 'mention' ? { ...node, target: { kind: 'user', matrixId: '@r_1:hs' } } : node,
    );
    expect(JSON.stringify(ir)).toBe(before);
    expect(mapped.blocks[0]).toEqual({
      type: 'paragraph',
      children: [
        {
          type: 'bold',
          children: [{ type: 'mention', target: { kind: 'user', matrixId: '@r_1:hs' }, text: 'one' }],
        },
      ],
    });
  });

  it('can replace one node with several or remove it', () => {
    const mapped = irMapInlines(ir, (node): Inline | Inline[] => {
      if (node.type === 'mention')
        return [
          { type: 'text', text: '@' },
          { type: 'text', text: node.text },
        ];
      if (node.type === 'text' && node.text === 't') return [];
      return node;
    });
    const texts: string[] = [];
    irForEachInline(mapped, (node) => node.type === 'text' && texts.push(node.text));
    expect(texts).toEqual(['@', 'one']);
  });
});

describe('irForEachInline', () => {
  it('visits inlines in document order, outer before inner', () => {
    const seen: string[] = [];
    irForEachInline(ir, (node) => seen.push(node.type));
    expect(seen).toEqual(['bold', 'mention', 'text']);
  });
});
