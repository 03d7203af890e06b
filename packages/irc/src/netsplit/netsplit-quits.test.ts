import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { NetsplitQuits, isNetsplitQuit } from './netsplit-quits';

const quit = (nick: string, channels: string[], reason = 'irc.a.net irc.b.net') =>
  ({ kind: 'quit', nick, channels, reason }) as const;

describe('netsplit quits', () => {
  let released: Array<{ nick: string; channels: string[] }>;
  let summaries: Array<{ channel: string; nicks: string[]; reason: string }>;
  let splits: NetsplitQuits;

  beforeEach(() => {
    jest.useFakeTimers();
    released = [];
    summaries = [];
    splits = new NetsplitQuits(60_000, (s) => s.toLowerCase(), {
      release: (q) => released.push({ nick: q.nick, channels: q.channels }),
      summarise: (channel, nicks, reason) => summaries.push({ channel, nicks, reason }),
    });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('recognises the two-server reason of a split, hidden server names included, but not a user quit', () => {
    expect(isNetsplitQuit('irc.a.net irc.b.net')).toBe(true);
    expect(isNetsplitQuit('*.net *.split')).toBe(true);
    expect(isNetsplitQuit('Quit: irc.a.net irc.b.net')).toBe(false);
    expect(isNetsplitQuit('Ping timeout: 240 seconds')).toBe(false);
  });

  it('a user who rejoins within the grace period never leaves, and their join is absorbed', () => {
    expect(splits.handle(quit('Bob', ['#a']))).toBe(true);
    expect(splits.handle({ kind: 'join', nick: 'bob', channel: '#A' })).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(released).toEqual([]);
    expect(summaries).toEqual([]);
  });

  it('users who do not come back leave after the grace period, with one summary per channel', () => {
    splits.handle(quit('Bob', ['#a', '#b']));
    splits.handle(quit('Carol', ['#a']));
    splits.handle({ kind: 'join', nick: 'Bob', channel: '#b' });
    jest.advanceTimersByTime(59_000);
    expect(released).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(released).toEqual([
      { nick: 'Bob', channels: ['#a'] },
      { nick: 'Carol', channels: ['#a'] },
    ]);
    expect(summaries).toEqual([{ channel: '#a', nicks: ['Bob', 'Carol'], reason: 'irc.a.net irc.b.net' }]);
  });

  it('ordinary quits and joins pass straight through', () => {
    expect(splits.handle(quit('Bob', ['#a'], 'Quit: bye'))).toBe(false);
    expect(splits.handle({ kind: 'join', nick: 'dave', channel: '#a' })).toBe(false);
  });

  it('with a grace period of 0 every quit is bridged at once', () => {
    const immediate = new NetsplitQuits(0, (s) => s, {
      release: () => undefined,
      summarise: () => undefined,
    });
    expect(immediate.handle(quit('Bob', ['#a']))).toBe(false);
  });
});
