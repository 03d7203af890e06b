/**
 * Split text with entities into pieces Telegram accepts (4096 UTF-16 units each), preferring
 * line breaks, never splitting a surrogate pair, and clipping entities to each piece.
 */
import type { MessageEntity } from 'telegraf/types';
import type { TelegramText } from '../format';

export const maxMessageLength = 4096;

/** Prepend `prefix` (e.g. the relay name) to `body`, moving the body's entities along. */
export function concatText(prefix: TelegramText, body: TelegramText): TelegramText {
  const shift = prefix.text.length;
  return {
    text: prefix.text + body.text,
    entities: [...prefix.entities, ...body.entities.map((e) => ({ ...e, offset: e.offset + shift }))],
  };
}

export function splitText(input: TelegramText, limit = maxMessageLength): TelegramText[] {
  if (input.text.length <= limit) return [input];
  const pieces: TelegramText[] = [];
  let start = 0;
  while (start < input.text.length) {
    let end = Math.min(start + limit, input.text.length);
    if (end < input.text.length) {
      const newline = input.text.lastIndexOf('\n', end - 1);
      if (newline > start + limit / 2) end = newline + 1;
      else if (isHighSurrogate(input.text.charCodeAt(end - 1))) end -= 1;
    }
    pieces.push({ text: input.text.slice(start, end), entities: clipEntities(input.entities, start, end) });
    start = end;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function clipEntities(entities: MessageEntity[], start: number, end: number): MessageEntity[] {
  return entities
    .filter((e) => e.offset < end && e.offset + e.length > start)
    .map((e) => {
      const from = Math.max(e.offset, start);
      const to = Math.min(e.offset + e.length, end);
      return { ...e, offset: from - start, length: to - from };
    });
}
