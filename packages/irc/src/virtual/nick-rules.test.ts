import { describe, expect, it } from '@jest/globals';
import { nickCandidate, nickRulesFrom, renderNick, sanitiseNick } from './nick-rules';

const rules = { maxLength: 16 };

describe('virtual-user nicks', () => {
  it('fill the template with the display name and keep its fixed text', () => {
    expect(renderNick('$DISPLAY[m]', { userId: '@alice:hs', displayName: 'Alice' }, rules)).toBe('Alice[m]');
  });

  it('drop characters IRC nicks cannot contain (spaces, accents, colons)', () => {
    expect(renderNick('$DISPLAY[m]', { userId: '@x:hs', displayName: 'José Müller: ops' }, rules)).toBe(
      'JoseMullerops[m]',
    );
  });

  it('shorten the display name, not the suffix, to fit NICKLEN', () => {
    const nick = renderNick('$DISPLAY[m]', { userId: '@x:hs', displayName: 'Bartholomew the Third' }, rules);
    expect(nick).toBe('Bartholomewth[m]');
    expect(nick.length).toBe(16);
  });

  it('fall back to the localpart when the display name has nothing usable', () => {
    expect(renderNick('$DISPLAY[m]', { userId: '@bob:hs', displayName: '🙂🙂' }, rules)).toBe('bob[m]');
    expect(renderNick('m_$LOCALPART', { userId: '@carol.x:hs' }, rules)).toBe('m_carolx');
  });

  it('never start with a digit or a dash', () => {
    expect(sanitiseNick('1direction', rules)).toBe('_1direction');
    expect(sanitiseNick('-x', rules)).toBe('_-x');
  });

  it('resolve collisions with a predictable numbered suffix inside the length limit', () => {
    expect(nickCandidate('Alice[m]', 0, rules)).toBe('Alice[m]');
    expect(nickCandidate('Alice[m]', 1, rules)).toBe('Alice[m]_2');
    expect(nickCandidate('Bartholomewth[m]', 2, rules)).toBe('Bartholomewth[_3');
  });

  it('read NICKLEN from ISUPPORT, with the RFC default of 9', () => {
    expect(nickRulesFrom({ NICKLEN: '30' })).toEqual({ maxLength: 30 });
    expect(nickRulesFrom({})).toEqual({ maxLength: 9 });
  });
});
