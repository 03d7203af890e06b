import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Block, Inline, RichText } from '@trestle/core';
import { irToTelegram } from './ir-to-telegram';
import { richTextPlainText } from './ir-plain-text';
import { telegramToIr } from './telegram-to-ir';

const p = (...children: Inline[]): Block => ({ type: 'paragraph', children });
const t = (text: string): Inline => ({ type: 'text', text });

describe('IR to Telegram entities', () => {
  it('computes UTF-16 offsets after astral characters', () => {
    const out = irToTelegram({ blocks: [p(t('🎉🎉 '), { type: 'bold', children: [t('hi')] })] });
    expect(out).toEqual({ text: '🎉🎉 hi', entities: [{ type: 'bold', offset: 5, length: 2 }] });
  });

  it('writes code blocks as pre with language and quotes as blockquote, each on its own line', () => {
    const out = irToTelegram({
      blocks: [
        p(t('look')),
        { type: 'codeblock', language: 'py', text: 'x=1' },
        { type: 'quote', children: [p(t('said'))] },
      ],
    });
    expect(out.text).toBe('look\nx=1\nsaid');
    expect(out.entities).toEqual([
      { type: 'pre', language: 'py', offset: 5, length: 3 },
      { type: 'blockquote', offset: 9, length: 4 },
    ]);
  });

  it('mentions Telegram users by text_mention and writes other mentions as text', () => {
    const out = irToTelegram(
      {
        blocks: [
          p({ type: 'mention', target: { kind: 'user', remoteId: '42' }, text: 'Carol' }, t(' & '), {
            type: 'mention',
            target: { kind: 'user', matrixId: '@dan:hs' },
            text: 'Dan',
          }),
        ],
      },
      {
        telegramUserId: (target) =>
          target.kind === 'user' && target.remoteId ? Number(target.remoteId) : undefined,
      },
    );
    expect(out.text).toBe('Carol & Dan');
    expect(out.entities).toEqual([
      { type: 'text_mention', offset: 0, length: 5, user: { id: 42, is_bot: false, first_name: 'Carol' } },
    ]);
  });

  it('spells out what Telegram cannot show: lists, headings, rules, non-web links, custom emoji', () => {
    const out = irToTelegram({
      blocks: [
        { type: 'heading', level: 2, children: [t('Title')] },
        { type: 'list', ordered: true, items: [[p(t('one'))], [p(t('two'))]] },
        { type: 'rule' },
        p({ type: 'link', href: 'mailto:a@b.org', children: [t('mail me')] }, t(' '), {
          type: 'emoji',
          name: 'party',
          fallback: ':party:',
        }),
      ],
    });
    expect(out.text).toBe('Title\n1. one\n2. two\n———\nmail me (a@b.org) :party:');
    expect(out.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
  });
});

const textArb = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', '\n', '😀', 'é', '👨‍👩‍👧', '<', '&') as fc.Arbitrary<string>,
  maxLength: 6,
});

const inlines = (hrefs: string[]): fc.Arbitrary<Inline> =>
  fc.letrec<{ inline: Inline }>((tie) => ({
    inline: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      textArb.map((text) => ({ type: 'text' as const, text })),
      fc.constant({ type: 'linebreak' as const }),
      textArb.map((text) => ({ type: 'code' as const, text })),
      textArb.map((text) => ({
        type: 'mention' as const,
        target: { kind: 'user' as const, remoteId: '5' },
        text,
      })),
      textArb.map((fallback) => ({ type: 'emoji' as const, name: 'x', fallback })),
      fc.record({
        type: fc.constantFrom(
          'bold',
          'italic',
          'underline',
          'strike',
          'spoiler',
          'superscript',
        ) as fc.Arbitrary<'bold'>,
        children: fc.array(tie('inline'), { maxLength: 3 }),
      }),
      fc.record({
        type: fc.constant('link' as const),
        href: fc.constantFrom(...hrefs),
        children: fc.array(tie('inline'), { maxLength: 2 }),
      }),
    ),
  })).inline;

const inlineArb = inlines(['https://example.org', 'mailto:x@y.z', 'matrix:u/a:b']);
/** Links Telegram can carry as entities, so their text is not spelled out. */
const webInlineArb = inlines(['https://example.org', 'tg://user?id=1']);

const blockArb: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.array(inlineArb, { maxLength: 4 }).map((children) => ({ type: 'paragraph' as const, children })),
    fc.record({
      type: fc.constant('codeblock' as const),
      text: textArb,
      language: fc.option(fc.constantFrom('ts', 'py'), { nil: undefined }),
    }),
    fc.array(tie('block'), { maxLength: 2 }).map((children) => ({ type: 'quote' as const, children })),
    fc
      .array(fc.array(tie('block'), { maxLength: 2 }), { maxLength: 2 })
      .map((items) => ({ type: 'list' as const, ordered: false, items })),
    fc.constant({ type: 'rule' as const }),
  ),
})).block;

const richArb: fc.Arbitrary<RichText> = fc.array(blockArb, { maxLength: 4 }).map((blocks) => ({ blocks }));

describe('Telegram converter properties', () => {
  it('never throws and keeps every entity inside the text', () => {
    fc.assert(
      fc.property(richArb, (rich) => {
        const out = irToTelegram(rich, { telegramUserId: () => 5 });
        for (const e of out.entities) {
          expect(e.length).toBeGreaterThan(0);
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset + e.length).toBeLessThanOrEqual(out.text.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads back exactly the text it wrote (IR -> entities -> IR keeps the plain text)', () => {
    fc.assert(
      fc.property(richArb, (rich) => {
        const out = irToTelegram(rich);
        expect(richTextPlainText(telegramToIr(out.text, out.entities))).toBe(out.text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the plain text of paragraphs, code blocks and quotes through a round trip', () => {
    const simpleBlock = fc.oneof(
      fc.array(webInlineArb, { maxLength: 4 }).map((children): Block => ({ type: 'paragraph', children })),
      fc.record({ type: fc.constant('codeblock' as const), text: textArb }),
    );
    fc.assert(
      fc.property(fc.array(simpleBlock, { maxLength: 4 }), (blocks) => {
        const out = irToTelegram({ blocks });
        expect(richTextPlainText(telegramToIr(out.text, out.entities))).toBe(richTextPlainText({ blocks }));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary, even out-of-range, entities', () => {
    const entity = fc.record({
      type: fc.constantFrom(
        'bold',
        'italic',
        'pre',
        'blockquote',
        'code',
        'text_link',
        'mention',
        'custom_emoji',
        'hashtag',
        'weird',
      ),
      offset: fc.integer({ min: -3, max: 12 }),
      length: fc.integer({ min: -2, max: 12 }),
    });
    fc.assert(
      fc.property(textArb, fc.array(entity, { maxLength: 6 }), (text, entities) => {
        telegramToIr(text, entities);
      }),
      { numRuns: 300 },
    );
  });
});
