import { describe, expect, it } from '@jest/globals';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { Connector, GhostInviteConnector } from '../connector/connector';
import type { Logger } from '../log/logger';
import type { Ghosts } from '../matrix/ghosts';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Portals } from '../matrix/portals';
import { GhostInvites } from './ghost-invites';

/** A ghost invite handled by a connector that declines (so no portal is made); records what it was told. */
async function inviteGhost(content: Record<string, unknown>) {
  const asked: unknown[][] = [];
  const connector = {
    displayName: 'Net',
    directChatWithGhost: async (...args: unknown[]) => {
      asked.push(args);
      return undefined;
    },
  } as unknown as Connector & GhostInviteConnector;
  const api = {
    join: async () => {},
    leave: async () => {},
    sendEvent: async () => '$n',
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
  return asked;
}

describe('ghost invites', () => {
  it("tell the connector whether the invite is a direct chat (the invite's is_direct)", async () => {
    expect(await inviteGhost({ is_direct: true })).toEqual([['net.bob', '@alice:hs', { isDirect: true }]]);
    expect(await inviteGhost({})).toEqual([['net.bob', '@alice:hs', { isDirect: false }]]);
  });
});
