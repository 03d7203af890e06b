import { describe, expect, it } from '@jest/globals';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import { changedLevels, moderationActionOf } from './matrix-moderation';

const naming = {
  remoteIdOf: (userId: string) =>
    userId.startsWith('@net_') ? userId.slice(5, userId.indexOf(':')) : undefined,
};
const member = (
  stateKey: string,
  membership: string,
  previous?: string,
  reason?: string,
): RawMatrixEvent => ({
  event_id: '$e',
  room_id: '!r',
  type: 'm.room.member',
  sender: '@admin:hs',
  state_key: stateKey,
  content: { membership, ...(reason && { reason }) },
  ...(previous && { unsigned: { prev_content: { membership: previous } } }),
});

describe('Matrix moderation of ghosts', () => {
  it('a joined ghost removed by someone else is a kick, with the reason', () => {
    expect(moderationActionOf(member('@net_bob:hs', 'leave', 'join', 'rude'), naming)).toEqual({
      kind: 'kick',
      sender: '@admin:hs',
      remoteUserId: 'bob',
      reason: 'rude',
    });
  });

  it('a ban is a ban, and lifting it is an unban', () => {
    expect(moderationActionOf(member('@net_bob:hs', 'ban', 'join'), naming)?.kind).toBe('ban');
    expect(moderationActionOf(member('@net_bob:hs', 'leave', 'ban'), naming)?.kind).toBe('unban');
  });

  it('withdrawing an invite, and anything done to Matrix users, is not moderation of a ghost', () => {
    expect(moderationActionOf(member('@net_bob:hs', 'leave', 'invite'), naming)).toBeUndefined();
    expect(moderationActionOf(member('@carol:hs', 'ban', 'join'), naming)).toBeUndefined();
  });

  it('a power-levels change lists only the users whose level changed, removed ones as 0', () => {
    const ev: RawMatrixEvent = {
      event_id: '$p',
      room_id: '!r',
      type: 'm.room.power_levels',
      sender: '@admin:hs',
      state_key: '',
      content: { users: { '@admin:hs': 100, '@dave:hs': 50 } },
      unsigned: { prev_content: { users: { '@admin:hs': 100, '@erin:hs': 50 } } },
    };
    expect(moderationActionOf(ev, naming)).toEqual({
      kind: 'power-levels',
      sender: '@admin:hs',
      changed: { '@dave:hs': 50, '@erin:hs': 0 },
    });
  });

  it('changedLevels is empty when nothing changed', () => {
    expect(changedLevels({ '@a:hs': 50 }, { '@a:hs': 50 })).toEqual({});
  });
});
