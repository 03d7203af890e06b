import { describe, expect, it } from '@jest/globals';
import { discordToIr } from './discord-to-ir';

const p = (...children: unknown[]) => ({ type: 'paragraph', children });
const t = (text: string) => ({ type: 'text', text });
const inline = (content: string) => discordToIr(content).blocks[0];

describe('Discord markdown to IR', () => {
  it('reads bold, italic, underline, strike and spoilers, nested', () => {
    expect(inline('**b** *i* _i_ __u__ ~~s~~ ||sp||')).toEqual(
      p(
        { type: 'bold', children: [t('b')] },
        t(' '),
        { type: 'italic', children: [t('i')] },
        t(' '),
        { type: 'italic', children: [t('i')] },
        t(' '),
        { type: 'underline', children: [t('u')] },
        t(' '),
        { type: 'strike', children: [t('s')] },
        t(' '),
        { type: 'spoiler', children: [t('sp')] },
      ),
    );
    expect(inline('***both***')).toEqual(
      p({ type: 'bold', children: [{ type: 'italic', children: [t('both')] }] }),
    );
    expect(inline('__*under italic*__')).toEqual(
      p({ type: 'underline', children: [{ type: 'italic', children: [t('under italic')] }] }),
    );
  });

  it('keeps snake_case, lone stars and escaped markers as text', () => {
    expect(inline('snake_case_name')).toEqual(p(t('snake_case_name')));
    expect(inline('2 * 3 * 4')).toEqual(p(t('2 * 3 * 4')));
    expect(inline('\\*not italic\\*')).toEqual(p(t('*not italic*')));
  });

  it('reads inline code without formatting inside', () => {
    expect(inline('`**x**` and ``a`b``')).toEqual(
      p({ type: 'code', text: '**x**' }, t(' and '), { type: 'code', text: 'a`b' }),
    );
  });

  it('reads code blocks with a language', () => {
    expect(discordToIr('```ts\nconst a = 1;\n```').blocks).toEqual([
      { type: 'codeblock', language: 'ts', text: 'const a = 1;' },
    ]);
    expect(discordToIr('```\nplain\n```').blocks).toEqual([{ type: 'codeblock', text: 'plain' }]);
  });

  it('reads quotes, multi-line quotes and headings', () => {
    expect(discordToIr('> quoted\nafter').blocks).toEqual([
      { type: 'quote', children: [p(t('quoted'))] },
      p(t('after')),
    ]);
    expect(discordToIr('>>> all\nof this').blocks).toEqual([
      { type: 'quote', children: [p(t('all'), { type: 'linebreak' }, t('of this'))] },
    ]);
    expect(discordToIr('## Title').blocks).toEqual([{ type: 'heading', level: 2, children: [t('Title')] }]);
    expect(discordToIr('#hashtag').blocks).toEqual([p(t('#hashtag'))]);
  });

  it('reads lists, ordered and nested', () => {
    expect(discordToIr('- a\n  - b\n- c').blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [[p(t('a')), { type: 'list', ordered: false, items: [[p(t('b'))]] }], [p(t('c'))]],
      },
    ]);
    expect(discordToIr('3. x\n4. y').blocks).toEqual([
      { type: 'list', ordered: true, start: 3, items: [[p(t('x'))], [p(t('y'))]] },
    ]);
  });

  it('reads masked links, bare links and suppressed-embed links', () => {
    expect(inline('[site](https://example.org)')).toEqual(
      p({ type: 'link', href: 'https://example.org', children: [t('site')] }),
    );
    expect(inline('see https://example.org/a_b.')).toEqual(
      p(
        t('see '),
        { type: 'link', href: 'https://example.org/a_b', children: [t('https://example.org/a_b')] },
        t('.'),
      ),
    );
    expect(inline('<https://example.org>')).toEqual(
      p({ type: 'link', href: 'https://example.org', children: [t('https://example.org')] }),
    );
  });

  it('reads user, role and channel mentions with resolved names', () => {
    const ir = discordToIr('<@1> <@!2> <@&3> <#4>', {
      names: {
        user: (id) => (id === '1' ? 'Alice' : undefined),
        role: () => 'Mods',
        channel: () => 'general',
      },
    });
    expect(ir.blocks[0]).toEqual(
      p(
        { type: 'mention', target: { kind: 'user', remoteId: '1' }, text: '@Alice' },
        t(' '),
        { type: 'mention', target: { kind: 'user', remoteId: '2' }, text: '@2' },
        t(' '),
        { type: 'mention', target: { kind: 'role', remoteId: '3' }, text: '@Mods' },
        t(' '),
        { type: 'mention', target: { kind: 'channel', remoteId: '4' }, text: '#general' },
      ),
    );
  });

  it('reads @everyone and @here as everyone mentions', () => {
    expect(inline('hey @everyone and @here')).toEqual(
      p(t('hey '), { type: 'mention', target: { kind: 'everyone' }, text: '@everyone' }, t(' and '), {
        type: 'mention',
        target: { kind: 'everyone' },
        text: '@here',
      }),
    );
  });

  it('reads custom emoji as images on the CDN', () => {
    expect(discordToIr('<:blob:123> <a:dance:456>', { cdnBase: 'http://cdn' }).blocks[0]).toEqual(
      p({ type: 'emoji', name: 'blob', url: 'http://cdn/emojis/123.png', fallback: ':blob:' }, t(' '), {
        type: 'emoji',
        name: 'dance',
        url: 'http://cdn/emojis/456.gif',
        fallback: ':dance:',
      }),
    );
  });

  it('writes timestamps out in UTC', () => {
    expect(inline('<t:0:R>')).toEqual(p(t('1970-01-01 00:00 UTC')));
    expect(inline('<t:0:d>')).toEqual(p(t('1970-01-01')));
  });

  it('keeps single newlines as line breaks and blank lines as paragraph breaks', () => {
    expect(discordToIr('a\nb\n\nc').blocks).toEqual([p(t('a'), { type: 'linebreak' }, t('b')), p(t('c'))]);
  });
});
