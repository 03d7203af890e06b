import { describe, expect, it } from '@jest/globals';
import { isBridgeCommand } from './bridge-command';

describe('/bridge command recognition', () => {
  it('takes /bridge alone, with arguments, or addressed to this bot', () => {
    expect(isBridgeCommand('/bridge', 'trestle_bot')).toBe(true);
    expect(isBridgeCommand('/bridge now', 'trestle_bot')).toBe(true);
    expect(isBridgeCommand('/bridge@Trestle_Bot', 'trestle_bot')).toBe(true);
  });

  it("ignores other bots' /bridge, other commands and ordinary text", () => {
    expect(isBridgeCommand('/bridge@other_bot', 'trestle_bot')).toBe(false);
    expect(isBridgeCommand('/bridges', 'trestle_bot')).toBe(false);
    expect(isBridgeCommand('please /bridge', 'trestle_bot')).toBe(false);
  });
});
