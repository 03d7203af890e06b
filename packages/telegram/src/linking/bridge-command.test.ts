import { describe, expect, it } from '@jest/globals';
import { linkCommandOf } from './bridge-command';

describe('/bridge and /unbridge recognition', () => {
  it('takes /bridge and /unbridge alone, with arguments, or addressed to this bot', () => {
    expect(linkCommandOf('/bridge', 'trestle_bot')).toBe('bridge');
    expect(linkCommandOf('/bridge now', 'trestle_bot')).toBe('bridge');
    expect(linkCommandOf('/bridge@Trestle_Bot', 'trestle_bot')).toBe('bridge');
    expect(linkCommandOf('/unbridge', 'trestle_bot')).toBe('unbridge');
    expect(linkCommandOf('/unbridge@trestle_bot please', 'trestle_bot')).toBe('unbridge');
  });

  it("ignores other bots' commands, other commands and ordinary text", () => {
    expect(linkCommandOf('/bridge@other_bot', 'trestle_bot')).toBeUndefined();
    expect(linkCommandOf('/unbridge@other_bot', 'trestle_bot')).toBeUndefined();
    expect(linkCommandOf('/bridges', 'trestle_bot')).toBeUndefined();
    expect(linkCommandOf('please /bridge', 'trestle_bot')).toBeUndefined();
  });
});
