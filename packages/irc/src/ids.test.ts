import { describe, expect, it } from '@jest/globals';
import { parseAliasLocalpart, parseChatId, parsePrivateChatId, privateChatIdFor, isChannelName } from './ids';

describe('IRC ids', () => {
  it('alias localparts name a network and a channel', () => {
    expect(parseAliasLocalpart('libera_#trestle')).toEqual({ network: 'libera', target: '#trestle' });
    expect(parseAliasLocalpart('libera_#with_underscore')).toEqual({
      network: 'libera',
      target: '#with_underscore',
    });
    expect(parseAliasLocalpart('libera_nochannel')).toBeUndefined();
    expect(parseAliasLocalpart('_#x')).toBeUndefined();
  });

  it('chat ids split at the first slash', () => {
    expect(parseChatId('oftc/#a/b')).toEqual({ network: 'oftc', target: '#a/b' });
    expect(parseChatId('nope')).toBeUndefined();
  });

  it('channels are recognised by CHANTYPES', () => {
    expect(isChannelName('#x')).toBe(true);
    expect(isChannelName('alice')).toBe(false);
  });

  it('private chats name the IRC nick and the Matrix user, even with a slash in the user id', () => {
    const id = privateChatIdFor('libera', 'bob', '@alice/x:example.org');
    expect(parsePrivateChatId(id)).toEqual({ network: 'libera', nick: 'bob', owner: '@alice/x:example.org' });
    expect(parsePrivateChatId('libera/#chan/with/slash')).toBeUndefined();
    expect(parsePrivateChatId('libera/bob')).toBeUndefined();
  });
});
