import { describe, expect, it } from '@jest/globals';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { Connector, DeclinedGhostInvite, GhostInviteConnector } from '../connector/connector';
import type { Logger } from '../log/logger';
import type { Ghosts } from '../matrix/ghosts';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Portals } from '../matrix/portals';
import { GhostInvites } from './ghost-invites';

/**
 * A ghost invite handled by a connector that declines (so no portal is made) with `answer`; records what
 * the connector was asked and what the ghost did in the room.
 */
async function inviteGhost(content: Record<string, unknown>, answer?: DeclinedGhostInvite) {
  const asked: unknown[][] = [];
  const done: string[] = [];
  const connector = {
    displayName: 'Net',
    directChatWithGhost: async (...args: unknown[]) => {
      asked.push(args);
      return answer;
    },
  } as unknown as Connector & GhostInviteConnector;
  const api = {
    join: async (_room: string, user: string) => void done.push(`${user} joins`),
    leave: async (_room: string, user: string) => void done.push(`${user} leaves`),
    sendEvent: async (
      _room: string,
      _type: string,
      content: { body: string },
      _txn: string,
      user: string,
    ) => {
      done.push(`${user} says: ${content.body}`);
      return '$n';
    },
  } as unknown as MatrixApi;
  const ghosts = { remoteIdOf: () => 'net.bob', ensure: async () => '@net_bob:hs' } as unknown as Ghosts;
  const log = { info: () => {} } as unknown as Logger;
  const invites = new GhostInvites(connector, api, ghosts, {} as Portals, log);
  const ev = {
    type: 'm.room.member',
    state_key: '@net_bob:hs',
    sender: '@alice:hs',
    room_id: '!r:hs',
    event_id: '$e',
    content: { membership: 'invite', ...content },
  } as unknown as RawMatrixEvent;
  await invites.handle(ev, undefined);
  return { asked, done };
}

describe('ghost invites', () => {
  it("tell the connector whether the invite is a direct chat (the invite's is_direct)", async () => {
    expect((await inviteGhost({ is_direct: true })).asked).toEqual([
      ['net.bob', '@alice:hs', { isDirect: true }],
    ]);
    expect((await inviteGhost({})).asked).toEqual([['net.bob', '@alice:hs', { isDirect: false }]]);
  });

  it('declined without a reason: the ghost says it cannot be written to privately, and leaves', async () => {
    expect((await inviteGhost({ is_direct: true })).done).toEqual([
      '@net_bob:hs joins',
      '@net_bob:hs says: This Net user cannot be written to privately through the bridge.',
      '@net_bob:hs leaves',
    ]);
  });

  it("declined with a reason: the ghost posts the connector's reason instead, and leaves", async () => {
    const { done } = await inviteGhost({ is_direct: true }, { declined: 'Bob has not paired with you yet.' });
    expect(done).toEqual([
      '@net_bob:hs joins',
      '@net_bob:hs says: Bob has not paired with you yet.',
      '@net_bob:hs leaves',
    ]);
  });
});
