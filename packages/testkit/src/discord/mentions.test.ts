import { describe, expect, it } from '@jest/globals';
import { computeMentions } from './mentions';

describe('mentions as Discord computes them', () => {
  it('pings everything in the content when no allowed_mentions is given', () => {
    expect(computeMentions('hi <@1> <@!2> <@&3> @everyone', undefined, undefined)).toEqual({
      users: ['1', '2'],
      roles: ['3'],
      everyone: true,
    });
  });

  it('pings nobody with an empty parse list', () => {
    expect(computeMentions('@everyone <@1> <@&3>', { parse: [] }, '9')).toEqual({
      users: [],
      roles: [],
      everyone: false,
    });
  });

  it('pings only listed users, and the replied-to author when replied_user is set', () => {
    expect(computeMentions('<@1> <@2>', { parse: [], users: ['2'], replied_user: true }, '9').users).toEqual([
      '2',
      '9',
    ]);
  });

  it('does not treat a defused @\u200deveryone as a mass mention', () => {
    expect(computeMentions('@\u200deveryone', undefined, undefined).everyone).toBe(false);
  });
});
