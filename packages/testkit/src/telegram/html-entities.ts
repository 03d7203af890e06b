/**
 * `parse_mode: "HTML"` the way the Bot API reads it: a strict, small tag set turned into
 * plain text plus {@link MessageEntity} offsets in UTF-16 code units. Anything else is refused with
 * Telegram's "can't parse entities" 400, so a bridge that emits bad HTML fails here as it would live.
 */
import type { MessageEntity, User } from 'telegraf/types';
import { apiErrors } from './api-error';

type SimpleEntityType = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code' | 'blockquote';

const simpleTags: Record<string, SimpleEntityType> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  code: 'code',
  blockquote: 'blockquote',
};

const namedCharacters: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  offset: number;
  attributes: Record<string, string>;
}

/** Looks up a user for `<a href="tg://user?id=…">`; Telegram only links users the bot has seen. */
export type UserLookup = (id: number) => User | undefined;

/** The result of parsing: what Telegram stores as the message text and its entities. */
export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const parseError = (detail: string) => apiErrors.badRequest(`can't parse entities: ${detail}`);

/** Parse Bot API HTML into text and entities, or throw the 400 Telegram would answer. */
export function parseHtmlEntities(html: string, lookupUser: UserLookup): ParsedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  const byteOffset = (index: number) => Buffer.byteLength(html.slice(0, index));

  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const end = html.indexOf(';', i);
      const name = end > i ? html.slice(i + 1, end) : '';
      const decoded = decodeCharacterReference(name);
      if (decoded === undefined) {
        // Telegram keeps an unknown `&…` sequence as literal text.
        text += ch;
        i += 1;
      } else {
        text += decoded;
        i = end + 1;
      }
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const close = html.indexOf('>', i);
    if (close < 0) throw parseError(`Unclosed start tag at byte offset ${byteOffset(i)}`);
    const rawTag = html.slice(i + 1, close).trim();
    if (rawTag.startsWith('/')) {
      const name = rawTag.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open || open.name !== name) {
        throw parseError(
          `Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${open?.name ?? ''}>", found "</${name}>"`,
        );
      }
      const insidePre = stack.some((tag) => tag.name === 'pre');
      const entity = entityFor(open, text.length - open.offset, insidePre, lookupUser, byteOffset(i));
      if (entity) entities.push(entity);
    } else {
      const open = parseStartTag(rawTag, byteOffset(i));
      stack.push({ ...open, offset: text.length });
    }
    i = close + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(mergePreLanguage(entities)) };
}

function decodeCharacterReference(name: string): string | undefined {
  if (namedCharacters[name] !== undefined) return namedCharacters[name];
  const numeric = /^#(x[0-9a-f]+|[0-9]+)$/i.exec(name);
  if (!numeric) return undefined;
  const code =
    numeric[1]!.startsWith('x') || numeric[1]!.startsWith('X')
      ? parseInt(numeric[1]!.slice(1), 16)
      : parseInt(numeric[1]!, 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function parseStartTag(raw: string, at: number): Omit<OpenTag, 'offset'> {
  const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(raw);
  if (!nameMatch) throw parseError(`Unsupported start tag "${raw}" at byte offset ${at}`);
  const name = nameMatch[1]!.toLowerCase();
  const attributes: Record<string, string> = {};
  const attributePattern = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g;
  const rest = raw.slice(nameMatch[0].length);
  for (const match of rest.matchAll(attributePattern)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    attributes[match[1]!.toLowerCase()] = decodeAttribute(value);
  }
  const known = name in simpleTags || ['span', 'a', 'pre', 'tg-emoji'].includes(name);
  if (!known) throw parseError(`Unsupported start tag "${name}" at byte offset ${at}`);
  if (name === 'span' && attributes.class !== 'tg-spoiler') {
    throw parseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
  }
  return { name, attributes };
}

function decodeAttribute(value: string): string {
  return value.replace(/&([^;]+);/g, (whole, name: string) => decodeCharacterReference(name) ?? whole);
}

function entityFor(
  open: OpenTag,
  length: number,
  insidePre: boolean,
  lookupUser: UserLookup,
  at: number,
): MessageEntity | undefined {
  if (length === 0) return undefined; // Telegram drops empty entities.
  const base = { offset: open.offset, length };
  const simple = simpleTags[open.name];
  if (open.name === 'blockquote' && 'expandable' in open.attributes) {
    // Bot API 7.3's expandable_blockquote; telegraf 4.16.3's types predate it.
    return { ...base, type: 'expandable_blockquote' } as unknown as MessageEntity;
  }
  if (open.name === 'code' && insidePre) {
    const language = /^language-(.+)$/.exec(open.attributes.class ?? '')?.[1];
    // `<pre><code class="language-x">` marks the pre's language; merged in mergePreLanguage.
    if (language) return { ...base, type: 'pre', language };
  }
  if (simple) return { ...base, type: simple };
  switch (open.name) {
    case 'span':
      return { ...base, type: 'spoiler' };
    case 'pre':
      return { ...base, type: 'pre' };
    case 'a': {
      const href = open.attributes.href ?? '';
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(href)?.[1];
      if (userId) {
        const user = lookupUser(Number(userId));
        return user ? { ...base, type: 'text_mention', user } : undefined;
      }
      if (!/^(https?|tg|ftp|mailto):/i.test(href) && !/^[\w.-]+\.[a-z]{2,}/i.test(href)) {
        return undefined; // Telegram silently drops links it cannot open.
      }
      return { ...base, type: 'text_link', url: href };
    }
    case 'tg-emoji': {
      const id = open.attributes['emoji-id'];
      if (!id)
        throw parseError(`Custom emoji entity must contain a custom emoji identifier at byte offset ${at}`);
      return { ...base, type: 'custom_emoji', custom_emoji_id: id };
    }
    default:
      return undefined; // unreachable: parseStartTag admits only the tags above
  }
}

/** `<pre><code class="language-x">…</code></pre>` is one pre entity with a language, as in Telegram. */
function mergePreLanguage(entities: MessageEntity[]): MessageEntity[] {
  const languaged = entities.filter(
    (e): e is MessageEntity.PreMessageEntity => e.type === 'pre' && !!e.language,
  );
  return entities.filter((e) => {
    if (e.type !== 'pre' || e.language) return true;
    const inner = languaged.find((l) => l.offset === e.offset && l.length === e.length);
    return inner === undefined;
  });
}

/** Telegram lists entities by offset, outer (longer) ones first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}
