import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Block, Inline, RichText } from '@trestle/core';
import { discordToIr } from './discord-to-ir';
import { irToDiscord } from './ir-to-discord';
import { neutraliseMassMentions } from './escape';

const para = (...children: Inline[]): RichText => ({ blocks: [{ type: 'paragraph', children }] });
const t = (text: string): Inline => ({ type: 'text', text });

/** What a reader sees: text, mention labels, link labels, line breaks; paragraphs apart by a blank line. */
function visibleText(ir: RichText): string {
  const inline = (nodes: Inline[]): string =>
    nodes
      .map((n) => {
        if (n.type === 'text' || n.type === 'code') return n.text;
        if (n.type === 'linebreak') return '\n';
        if (n.type === 'mention') return n.text;
        if (n.type === 'emoji') return n.fallback;
        return inline(n.children);
      })
      .join('');
  const block = (b: Block): string => {
    if (b.type === 'paragraph' || b.type === 'heading') return inline(b.children);
    if (b.type === 'codeblock') return b.text;
    if (b.type === 'quote') return b.children.map(block).join('\n\n');
    if (b.type === 'list') return b.items.map((i) => i.map(block).join('\n')).join('\n');
    return '';
  };
  return ir.blocks.map(block).join('\n\n');
}

describe('IR to Discord markdown', () => {
  it('writes formatting as Discord markdown', () => {
    const ir = para(
      { type: 'bold', children: [t('b')] },
      t(' '),
      { type: 'italic', children: [t('i')] },
      t(' '),
      { type: 'underline', children: [t('u')] },
      t(' '),
      { type: 'strike', children: [t('s')] },
      t(' '),
      { type: 'spoiler', children: [t('x')] },
      t(' '),
      { type: 'code', text: 'c' },
    );
    expect(irToDiscord(ir)).toBe('**b** *i* __u__ ~~s~~ ||x|| `c`');
  });

  it('writes blocks: code with language, quotes, headings, lists', () => {
    const ir: RichText = {
      blocks: [
        { type: 'heading', level: 1, children: [t('Title')] },
        { type: 'codeblock', language: 'js', text: 'x()' },
        {
          type: 'quote',
          children: [{ type: 'paragraph', children: [t('q1'), { type: 'linebreak' }, t('q2')] }],
        },
        {
          type: 'list',
          ordered: true,
          items: [
            [{ type: 'paragraph', children: [t('one')] }],
            [{ type: 'paragraph', children: [t('two')] }],
          ],
        },
      ],
    };
    expect(irToDiscord(ir)).toBe('# Title\n\n```js\nx()\n```\n\n> q1\n> q2\n\n1. one\n2. two');
  });

  it('escapes markdown typed by a Matrix user so it shows literally', () => {
    expect(irToDiscord(para(t('*not bold* and __not underline__ `x` ||y||')))).toBe(
      '\\*not bold\\* and \\_\\_not underline\\_\\_ \\`x\\` \\|\\|y\\|\\|',
    );
    expect(irToDiscord(para(t('# not a heading\n> not a quote\n- not a list\n1. nor this')))).toBe(
      '\\# not a heading\n\\> not a quote\n\\- not a list\n1\\. nor this',
    );
  });

  it('cannot be made to mention anyone by typed text', () => {
    const out = irToDiscord(para(t('<@123> <@&4> <#5> <:e:6> @everyone @here')));
    expect(out).not.toMatch(/(?<!\\)<[@#:]/);
    expect(visibleText(discordToIr(out))).toBe('<@123> <@&4> <#5> <:e:6> @\u200beveryone @\u200bhere');
    expect(out).not.toMatch(/@everyone|@here/);
  });

  it('writes an everyone mention as defused text unless allowed', () => {
    const ir = para({ type: 'mention', target: { kind: 'everyone' }, text: '@room' });
    expect(irToDiscord(ir)).toBe('@\u200beveryone');
    expect(irToDiscord(ir, { allowEveryone: true })).toBe('@everyone');
  });

  it('writes Discord users, roles and channels as native mentions, Matrix users as text', () => {
    const ir = para(
      { type: 'mention', target: { kind: 'user', remoteId: '1' }, text: '@Alice' },
      t(' '),
      { type: 'mention', target: { kind: 'role', remoteId: '2' }, text: '@Mods' },
      t(' '),
      { type: 'mention', target: { kind: 'channel', remoteId: '3' }, text: '#general' },
      t(' '),
      { type: 'mention', target: { kind: 'user', matrixId: '@bob:hs' }, text: 'Bob_' },
    );
    expect(irToDiscord(ir)).toBe('<@1> <@&2> <#3> Bob\\_');
  });

  it('writes masked links and keeps bare URLs clickable', () => {
    expect(irToDiscord(para({ type: 'link', href: 'https://a.example/x_(y)', children: [t('here')] }))).toBe(
      '[here](https://a.example/x_%28y%29)',
    );
    expect(irToDiscord(para(t('go to https://a.example/a_b now')))).toBe('go to https://a.example/a_b now');
    expect(irToDiscord(para(t('(https://a.example/x)')))).toBe('(<https://a.example/x>)');
  });

  it('uses a guild emoji when one matches, the fallback text otherwise', () => {
    const ir = para({ type: 'emoji', name: 'blob', url: 'mxc://x/y', fallback: ':blob:' });
    expect(irToDiscord(ir)).toBe(':blob:');
    expect(irToDiscord(ir, { customEmoji: () => ({ id: '9', animated: false }) })).toBe('<:blob:9>');
  });

  it('keeps code fences inside code from closing the block', () => {
    const out = irToDiscord({ blocks: [{ type: 'codeblock', text: 'a ``` b' }] });
    expect(discordToIr(out).blocks).toHaveLength(1);
  });
});

describe('Discord markdown properties', () => {
  const tricky = fc.constantFrom(
    ...'ab Z09 *_~|`>#-.[]()<>@:!&\\\n'.split(''),
    'everyone',
    'here',
    'https://x.example/p_q',
    '<@123>',
    '```',
    '1. ',
    '> ',
  );
  const text = fc.array(tricky, { maxLength: 40 }).map((parts) => parts.join(''));

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        discordToIr(s);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(text, (s) => {
        discordToIr(s);
      }),
      { numRuns: 300 },
    );
  });

  it('IR -> Discord -> IR preserves plain text (with mass mentions defused)', () => {
    fc.assert(
      fc.property(text, (s) => {
        const trimmed = s.replace(/^\n+|\n+$/g, '');
        const back = discordToIr(irToDiscord(para(t(trimmed))));
        expect(visibleText(back)).toBe(neutraliseMassMentions(trimmed));
      }),
      { numRuns: 500 },
    );
  });
});
