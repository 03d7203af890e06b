import { describe, expect, it } from '@jest/globals';
import { isOthersChannelTraffic } from './others-channel-traffic';

const isMe = (nick: string) => nick.toLowerCase() === 'alice[m]';
const isChannel = (target: string) => target.startsWith('#');
const skipped = (line: string) => isOthersChannelTraffic(line, isMe, isChannel);

describe('isOthersChannelTraffic', () => {
  it("skips other nicks' presence changes and channel messages, and NAMES lists", () => {
    expect(skipped(':bob!b@h JOIN #chan')).toBe(true);
    expect(skipped('@time=2026-01-01T00:00:00.000Z :bob!b@h JOIN #chan acct :Bob')).toBe(true);
    expect(skipped(':bob!b@h PART #chan :bye')).toBe(true);
    expect(skipped(':bob!b@h QUIT :gone')).toBe(true);
    expect(skipped(':bob!b@h NICK :bobby')).toBe(true);
    expect(skipped('@msgid=x :bob!b@h PRIVMSG #chan :hello')).toBe(true);
    expect(skipped(':bob!b@h NOTICE #chan :hello')).toBe(true);
    expect(skipped('@+draft/react=x :bob!b@h TAGMSG #chan')).toBe(true);
    expect(skipped(':irc.test 353 Alice[m] = #chan :@bob alice[m]\r\n')).toBe(true);
  });

  it('keeps its own lines, private messages, server replies and moderation', () => {
    expect(skipped(':Alice[m]!a@h JOIN #chan')).toBe(false);
    expect(skipped(':ALICE[M]!a@h PRIVMSG #chan :my echo')).toBe(false);
    expect(skipped(':alice[m]!a@h NICK :alice2')).toBe(false);
    expect(skipped(':bob!b@h PRIVMSG Alice[m] :private')).toBe(false);
    expect(skipped(':bob!b@h KICK #chan Alice[m] :out')).toBe(false);
    expect(skipped(':bob!b@h MODE #chan +b *!*@h')).toBe(false);
    expect(skipped(':irc.test 366 Alice[m] #chan :End of /NAMES list.\r\n')).toBe(false);
    expect(skipped(':irc.test 001 Alice[m] :Welcome')).toBe(false);
    expect(skipped('PING :irc.test')).toBe(false);
    expect(skipped('@malformed')).toBe(false);
  });
});
