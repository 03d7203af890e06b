import { describe, expect, it } from '@jest/globals';
import { telegramToIr } from './telegram-to-ir';

describe('Telegram entities to IR', () => {
  it('nests formatting and counts offsets in UTF-16 units (emoji take two)', () => {
    const text = '😀 bold both';
    const ir = telegramToIr(text, [
      { type: 'bold', offset: 3, length: 9 },
      { type: 'italic', offset: 8, length: 4 },
    ]);
    expect(ir.blocks).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: '😀 ' },
          {
            type: 'bold',
            children: [
              { type: 'text', text: 'bold ' },
              { type: 'italic', children: [{ type: 'text', text: 'both' }] },
            ],
          },
        ],
      },
    ]);
  });

  it('turns pre with a language and blockquotes into blocks, keeping lines around them', () => {
    const text = 'intro\nconst x = 1;\nquoted\nafter';
    const ir = telegramToIr(text, [
      { type: 'pre', offset: 6, length: 12, language: 'ts' },
      { type: 'blockquote', offset: 19, length: 6 },
    ]);
    expect(ir.blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'intro' }] },
      { type: 'codeblock', language: 'ts', text: 'const x = 1;' },
      { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'quoted' }] }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'after' }] },
    ]);
  });

  it('maps links, mentions, text mentions and custom emoji; hashtags stay text', () => {
    const text = 'see site, @bob and Carol 🎉 #tag example.org';
    const ir = telegramToIr(
      text,
      [
        { type: 'text_link', offset: 4, length: 4, url: 'https://example.org/' },
        { type: 'mention', offset: 10, length: 4 },
        { type: 'text_mention', offset: 19, length: 5, user: { id: 42, is_bot: false, first_name: 'Carol' } },
        { type: 'custom_emoji', offset: 25, length: 2, custom_emoji_id: '5368324170671202286' },
        { type: 'hashtag', offset: 28, length: 4 },
        { type: 'url', offset: 33, length: 11 },
      ],
      { resolveUsername: (name) => (name === 'bob' ? '7' : undefined) },
    );
    expect(ir.blocks[0]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'see ' },
        { type: 'link', href: 'https://example.org/', children: [{ type: 'text', text: 'site' }] },
        { type: 'text', text: ', ' },
        { type: 'mention', target: { kind: 'user', remoteId: '7' }, text: '@bob' },
        { type: 'text', text: ' and ' },
        { type: 'mention', target: { kind: 'user', remoteId: '42' }, text: 'Carol' },
        { type: 'text', text: ' ' },
        { type: 'emoji', name: '5368324170671202286', fallback: '🎉' },
        { type: 'text', text: ' ' },
        { type: 'text', text: '#tag' },
        { type: 'text', text: ' ' },
        { type: 'link', href: 'http://example.org', children: [{ type: 'text', text: 'example.org' }] },
      ],
    });
  });

  it('reads spoilers, underline, strikethrough, code and expandable quotes', () => {
    const ir = telegramToIr('a b c d e', [
      { type: 'spoiler', offset: 0, length: 1 },
      { type: 'underline', offset: 2, length: 1 },
      { type: 'strikethrough', offset: 4, length: 1 },
      { type: 'code', offset: 6, length: 1 },
      { type: 'expandable_blockquote', offset: 8, length: 1 },
    ]);
    expect(ir.blocks).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'spoiler', children: [{ type: 'text', text: 'a' }] },
          { type: 'text', text: ' ' },
          { type: 'underline', children: [{ type: 'text', text: 'b' }] },
          { type: 'text', text: ' ' },
          { type: 'strike', children: [{ type: 'text', text: 'c' }] },
          { type: 'text', text: ' ' },
          { type: 'code', text: 'd' },
          { type: 'text', text: ' ' },
        ],
      },
      { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'e' }] }] },
    ]);
  });

  it('splits partly overlapping entities instead of failing', () => {
    const ir = telegramToIr('abcd', [
      { type: 'bold', offset: 0, length: 3 },
      { type: 'italic', offset: 2, length: 2 },
    ]);
    expect(ir.blocks[0]).toEqual({
      type: 'paragraph',
      children: [
        {
          type: 'bold',
          children: [
            { type: 'text', text: 'ab' },
            { type: 'italic', children: [{ type: 'text', text: 'c' }] },
          ],
        },
        { type: 'italic', children: [{ type: 'text', text: 'd' }] },
      ],
    });
  });
});
