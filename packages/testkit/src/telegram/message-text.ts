/**
 * How Telegram turns a request's text (or caption) into what a message stores: `parse_mode` HTML
 * parsed into entities, explicit entities clipped to the text, surrounding whitespace trimmed, and
 * mentions, hashtags, cashtags, bot commands, URLs and e-mail addresses detected automatically.
 */
import type { MessageEntity } from 'telegraf/types';
import { apiErrors } from './api-error';
import { parseHtmlEntities, sortEntities, type ParsedText, type UserLookup } from './html-entities';

/** Longest text and caption the Bot API accepts, in UTF-16 code units. */
export const maxTextLength = 4096;
export const maxCaptionLength = 1024;

const autoPatterns: Array<{ type: MessageEntity.CommonMessageEntity['type']; pattern: RegExp }> = [
  { type: 'url', pattern: /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g },
  { type: 'email', pattern: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/gi },
  { type: 'mention', pattern: /(?<![\w@])@[a-zA-Z][\w]{3,31}\b/g },
  { type: 'hashtag', pattern: /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu },
  { type: 'cashtag', pattern: /(?<![\w$])\$[A-Z]{1,8}\b/g },
  { type: 'bot_command', pattern: /(?<![\w/])\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z][\w]{3,31})?/g },
];

/** Entity types that already claim their span, so auto-detection leaves it alone. */
const claimingTypes = new Set([
  'url',
  'email',
  'mention',
  'hashtag',
  'cashtag',
  'bot_command',
  'text_link',
  'text_mention',
  'code',
  'pre',
]);

/**
 * Resolve text + entities as Telegram stores them. `kind` picks the length limit and error wording.
 */
export function composeText(
  input: { text: string; parseMode?: string; entities?: MessageEntity[] },
  kind: 'text' | 'caption',
  lookupUser: UserLookup,
): ParsedText {
  let parsed: ParsedText;
  if (input.parseMode === undefined || input.parseMode === '') {
    parsed = { text: input.text, entities: input.entities ?? [] };
  } else if (input.parseMode.toLowerCase() === 'html') {
    parsed = parseHtmlEntities(input.text, lookupUser);
  } else {
    throw apiErrors.badRequest(
      `unsupported parse_mode "${input.parseMode}" (the simulator parses HTML only)`,
    );
  }
  const trimmed = trimText(parsed);
  const limit = kind === 'text' ? maxTextLength : maxCaptionLength;
  if (kind === 'text' && trimmed.text.length === 0) throw apiErrors.badRequest('message text is empty');
  if (trimmed.text.length > limit) {
    throw apiErrors.badRequest(kind === 'text' ? 'message is too long' : 'message caption is too long');
  }
  return { text: trimmed.text, entities: sortEntities(withAutoEntities(trimmed)) };
}

/** Telegram strips leading and trailing whitespace and moves entities with the text. */
function trimText({ text, entities }: ParsedText): ParsedText {
  const start = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const clipped = entities
    .map((e) => {
      const from = Math.max(0, e.offset - start);
      const to = Math.min(trimmed.length, e.offset + e.length - start);
      return { ...e, offset: from, length: to - from };
    })
    .filter((e) => e.length > 0);
  return { text: trimmed, entities: clipped };
}

function withAutoEntities({ text, entities }: ParsedText): MessageEntity[] {
  const claimed = entities.filter((e) => claimingTypes.has(e.type));
  const found: MessageEntity[] = [];
  for (const { type, pattern } of autoPatterns) {
    for (const match of text.matchAll(pattern)) {
      const span = { offset: match.index, length: match[0].length };
      const overlaps = [...claimed, ...found].some(
        (e) => span.offset < e.offset + e.length && e.offset < span.offset + span.length,
      );
      if (!overlaps) found.push({ type, ...span });
    }
  }
  return [...entities, ...found];
}
