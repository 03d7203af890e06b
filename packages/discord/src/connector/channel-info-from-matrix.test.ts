import { describe, expect, it } from '@jest/globals';
import { channelNameFromRoomName } from './channel-info-from-matrix';

describe('channelNameFromRoomName', () => {
  it('turns a room name into the lowercase slug Discord shows for text channels', () => {
    expect(channelNameFromRoomName('  Planning   Room ', 'Guild')).toBe('planning-room');
    expect(channelNameFromRoomName('Ünïcode Talk 🎉', 'Guild')).toBe('ünïcode-talk-🎉');
  });

  it("drops the portal's own server suffix, so a bridged name round-trips to the same channel", () => {
    expect(channelNameFromRoomName('general (My Server)', 'My Server')).toBe('general');
    expect(channelNameFromRoomName('general (Other)', 'My Server')).toBe('general-(other)');
  });

  it('gives nothing for a name with nothing usable, and cuts at 100 characters', () => {
    expect(channelNameFromRoomName('   ', 'Guild')).toBeUndefined();
    expect(channelNameFromRoomName('x'.repeat(150), 'Guild')).toHaveLength(100);
  });
});
