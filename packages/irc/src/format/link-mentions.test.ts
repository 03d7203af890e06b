import { describe, expect, it } from '@jest/globals';
import type { MentionTarget } from '@trestle/core';
import { linkMentions } from './link-mentions';
import { mircToIr } from './mirc-to-ir';

const known: Record<string, MentionTarget> = {
  bob: { kind: 'user', remoteId: 'net.bob' },
  'alice[m]': { kind: 'user', matrixId: '@alice:example.org' },
};
const resolve = (word: string) => known[word.toLowerCase()];

describe('linkMentions', () => {
  it('turns a known nick addressed at the start of a line into a mention, keeping the rest', () => {
    expect(linkMentions(mircToIr('Bob: are you there?'), resolve).blocks[0]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'mention', target: known.bob, text: 'Bob' },
        { type: 'text', text: ': are you there?' },
      ],
    });
  });

  it('finds virtual-user nicks with brackets in the middle of a sentence, inside formatting', () => {
    const doc = linkMentions(mircToIr('thanks \x02alice[m]\x02!'), resolve);
    expect(JSON.stringify(doc)).toContain('"matrixId":"@alice:example.org"');
  });

  it('leaves unknown words, partial words and links alone', () => {
    const doc = mircToIr('bobby went to https://bob.example/bob');
    expect(linkMentions(doc, resolve)).toEqual(doc);
  });
});
