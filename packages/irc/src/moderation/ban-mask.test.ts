import { describe, expect, it } from '@jest/globals';
import { banMaskMatches } from './ban-mask';

const alice = { nick: 'Alice[m]', ident: 'alice', host: '127.0.0.1' };
const fold = (s: string) => s.toLowerCase();

describe('IRC ban masks', () => {
  it('a host ban covers every nick on that host', () => {
    expect(banMaskMatches('*!*@127.0.0.1', alice, fold)).toBe(true);
    expect(banMaskMatches('*!*@10.0.0.1', alice, fold)).toBe(false);
  });

  it('a nick ban matches case-insensitively and literally (brackets are not character classes)', () => {
    expect(banMaskMatches('alice[m]!*@*', alice, fold)).toBe(true);
    expect(banMaskMatches('alicem!*@*', alice, fold)).toBe(false);
  });

  it('masks without ! or @ are completed as servers do', () => {
    expect(banMaskMatches('Alice*', alice, fold)).toBe(true);
    expect(banMaskMatches('*@127.0.0.?', alice, fold)).toBe(true);
    expect(banMaskMatches('Bob', alice, fold)).toBe(false);
  });
});
