import { describe, expect, it } from '@jest/globals';
import type { RichText } from './ir';
import { irFromText } from './ir-from-text';
import { irIsPlain } from './ir-inspect';
import { toMatrixContent } from './matrix-content';

describe('toMatrixContent', () => {
  it('sends plain text without format or formatted_body', () => {
    expect(toMatrixContent(irFromText('hello\nworld'), 'm.text')).toEqual({
      msgtype: 'm.text',
      body: 'hello\nworld',
    });
  });

  it('sends formatted text with both bodies', () => {
    const ir: RichText = {
      blocks: [
        { type: 'paragraph', children: [{ type: 'italic', children: [{ type: 'text', text: 'waves' }] }] },
      ],
    };
    expect(toMatrixContent(ir, 'm.emote')).toEqual({
      msgtype: 'm.emote',
      body: 'waves',
      format: 'org.matrix.custom.html',
      formatted_body: '<em>waves</em>',
    });
  });
});

describe('irIsPlain', () => {
  it('is true only for paragraphs of text and line breaks', () => {
    expect(irIsPlain(irFromText('a\n\nb\nc'))).toBe(true);
    expect(irIsPlain({ blocks: [{ type: 'rule' }] })).toBe(false);
    expect(irIsPlain({ blocks: [{ type: 'paragraph', children: [{ type: 'code', text: 'x' }] }] })).toBe(
      false,
    );
  });
});
