import { describe, expect, it } from '@jest/globals';
import type { MessageContent } from '@trestle/core';
import { messageLines } from './message-lines';

const text = (t: string, msgtype: 'text' | 'emote' | 'notice' = 'text'): MessageContent => ({
  type: 'text',
  msgtype,
  body: { blocks: [{ type: 'paragraph', children: [{ type: 'text', text: t }] }] },
});
const base = { budget: () => 300, maxLines: 3 };

describe('relay lines', () => {
  it('messages are prefixed with the sender name; emotes are actions', () => {
    expect(messageLines({ ...base, senderName: 'Alice', content: text('hi') })).toEqual({
      kind: 'privmsg',
      lines: ['<Alice> hi'],
    });
    expect(messageLines({ ...base, senderName: 'Alice', content: text('waves', 'emote') })).toEqual({
      kind: 'action',
      lines: ['Alice waves'],
    });
    expect(messageLines({ ...base, senderName: 'Alice', content: text('fyi', 'notice') })).toEqual({
      kind: 'notice',
      lines: ['<Alice> fyi'],
    });
  });

  it('a name cannot carry line breaks or control codes', () => {
    expect(messageLines({ ...base, senderName: 'Eve\r\nQUIT :x\x01', content: text('hi') }).lines).toEqual([
      '<EveQUIT :x> hi',
    ]);
  });

  it('replies quote the original briefly; edits say they are corrections', () => {
    expect(
      messageLines({
        ...base,
        senderName: 'A',
        content: text('yes'),
        replyTo: { nick: 'bob', text: 'x'.repeat(80) },
      }).lines[0],
    ).toBe(`<A> «bob: ${'x'.repeat(49)}…» yes`);
    expect(messageLines({ ...base, senderName: 'A', content: text('fixed'), isEdit: true }).lines).toEqual([
      '<A> * correction: fixed',
    ]);
  });

  it('long messages are capped with a visible note', () => {
    const out = messageLines({ ...base, senderName: 'A', content: text('l1\nl2\nl3\nl4\nl5') });
    expect(out.lines).toEqual(['<A> l1', '<A> l2', '<A> (… 3 more lines not shown)']);
  });
});
