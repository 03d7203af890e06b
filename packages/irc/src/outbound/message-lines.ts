/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * The IRC lines of a Matrix message: spoken by a virtual user under its own nick, or by the relay bot
 * as `<name> text` (`\x01ACTION name text\x01` for emotes); a short quote of the original before a reply, and
 * `* correction:` lines for edits (IRC has no edits). Long messages are split and capped.
 */
import type { MessageContent, RichText } from '@trestle/core';
import { irToMircLines, splitIrcMessage, byteLength } from '../format';
import type { OutgoingKind } from '../network/irc-connection';
import type { RecentMessage } from '../recent-messages';

export interface MessageLinesInput {
  /**
   * The Matrix user's display name (already chosen by the core), or undefined when the user speaks
   * through their own connection (no `<name>` prefix: IRC shows their nick).
   */
  senderName: string | undefined;
  content: MessageContent;
  /** The IRC message this one replies to, if known. */
  replyTo?: RecentMessage;
  isEdit?: boolean;
  /** Bytes of text that fit in one line for a kind of message. */
  budget(kind: OutgoingKind): number;
  maxLines: number;
}

export interface MessageLines {
  kind: OutgoingKind;
  lines: string[];
}

const QUOTE_CHARS = 50;

/** Names cannot smuggle control codes or line breaks, and stay short. */
export function relayName(displayName: string): string {
  const clean = displayName.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return (clean || 'someone').slice(0, 40);
}

export function messageLines(input: MessageLinesInput): MessageLines {
  const name = input.senderName === undefined ? undefined : relayName(input.senderName);
  const content = input.content;
  const kind: OutgoingKind =
    content.type === 'text' && content.msgtype === 'emote'
      ? 'action'
      : content.type === 'text' && content.msgtype === 'notice'
        ? 'notice'
        : 'privmsg';
  const prefix = name === undefined ? '' : kind === 'action' ? `${name} ` : `<${name}> `;
  const bodyLines = irToMircLines(bodyOf(content));
  const lead = [input.isEdit ? '* correction:' : '', input.replyTo ? quote(input.replyTo) : '']
    .filter(Boolean)
    .join(' ');
  if (lead && bodyLines.length) bodyLines[0] = `${lead} ${bodyLines[0]}`;
  const budget = input.budget(kind) - byteLength(prefix);
  const split = splitIrcMessage(bodyLines.join('\n'), budget);
  let lines = split;
  if (split.length > input.maxLines) {
    lines = split.slice(0, input.maxLines - 1);
    lines.push(`(… ${split.length - lines.length} more lines not shown)`);
  }
  return { kind, lines: lines.map((l) => prefix + l) };
}

function quote(original: RecentMessage): string {
  const text =
    original.text.length > QUOTE_CHARS ? original.text.slice(0, QUOTE_CHARS - 1) + '…' : original.text;
  return `«${original.nick}: ${text}»`;
}

function bodyOf(content: MessageContent): RichText {
  const paragraph = (text: string): RichText => ({
    blocks: [{ type: 'paragraph', children: [{ type: 'text', text }] }],
  });
  switch (content.type) {
    case 'text':
      return content.body;
    case 'media': {
      const caption = content.caption ? irToMircLines(content.caption).join(' ') : '';
      return paragraph(`[${content.kind}: ${content.name}]${caption ? ' ' + caption : ''}`);
    }
    case 'location':
      return paragraph(
        `[location: ${content.description ? content.description + ' ' : ''}geo:${content.latitude},${content.longitude}]`,
      );
  }
}
