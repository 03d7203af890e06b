import { describe, expect, it } from '@jest/globals';
import { matrixToPermalink, parseMatrixLink } from './matrix-uri';

describe('parseMatrixLink', () => {
  it.each([
    ['https://matrix.to/#/@alice:example.org', { kind: 'user', matrixId: '@alice:example.org' }],
    ['https://matrix.to/#/%40alice%3Aexample.org', { kind: 'user', matrixId: '@alice:example.org' }],
    [
      'https://matrix.to/#/#room:example.org?via=example.org',
      { kind: 'room', matrixId: '#room:example.org' },
    ],
    ['https://matrix.to/#/!id:example.org', { kind: 'room', matrixId: '!id:example.org' }],
    ['matrix:u/alice:example.org?action=chat', { kind: 'user', matrixId: '@alice:example.org' }],
    ['matrix:r/room:example.org', { kind: 'room', matrixId: '#room:example.org' }],
    ['matrix:roomid/id:example.org', { kind: 'room', matrixId: '!id:example.org' }],
    // Element leaves '/' in user ids unencoded (IRC ghosts such as @irc_libera/alice:hs)
    [
      'https://matrix.to/#/@irc_libera/alice:example.org',
      { kind: 'user', matrixId: '@irc_libera/alice:example.org' },
    ],
  ])('reads %s', (href, target) => {
    expect(parseMatrixLink(href)).toEqual(target);
  });

  it.each([
    'https://matrix.to/#/!id:example.org/$event',
    'matrix:roomid/id:example.org/e/event',
    'https://example.org/#/@alice:example.org',
    'https://matrix.to/#/alice',
    'https://matrix.to/#/%E0%A4%A',
  ])('does not read %s as a user or room', (href) => {
    expect(parseMatrixLink(href)).toBeUndefined();
  });
});

describe('matrixToPermalink', () => {
  it('writes permalinks as Element does and reads back the same identifier', () => {
    expect(matrixToPermalink('@alice:example.org')).toBe('https://matrix.to/#/@alice:example.org');
    for (const id of ['@a/b?c:hs', '#room:hs', '!x:hs:8448']) {
      expect(parseMatrixLink(matrixToPermalink(id))?.matrixId).toBe(id);
    }
  });
});
