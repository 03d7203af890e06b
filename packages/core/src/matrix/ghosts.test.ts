import { describe, expect, it } from '@jest/globals';
import type { Logger } from '../log/logger';
import type { RemoteMedia } from '../model/events';
import type { GhostRecord, GhostStore } from '../store/store';
import { Ghosts } from './ghosts';
import type { MatrixApi } from './matrix-api';
import type { MediaBridge } from './media';

/** Ghosts over a homeserver that records profile changes, and an in-memory ghost table. */
function ghostsWithProfiles() {
  const avatarUrls: string[] = [];
  const rows = new Map<string, GhostRecord>();
  const api = {
    registerAppserviceUser: async () => {},
    setDisplayName: async () => {},
    setAvatarUrl: async (_userId: string, mxc: string) => void avatarUrls.push(mxc),
  } as unknown as MatrixApi;
  const store: GhostStore = {
    get: async (remoteId) => rows.get(remoteId),
    byUserId: async (userId) => [...rows.values()].find((row) => row.userId === userId),
    upsert: async (ghost) => void rows.set(ghost.remoteId, ghost),
    count: async () => rows.size,
  };
  const media = { upload: async (m: RemoteMedia) => `mxc://hs/${m.key}` } as unknown as MediaBridge;
  const log = { debug: () => {}, warn: () => {} } as unknown as Logger;
  const ghosts = new Ghosts(api, store, media, { userPrefix: 'net_', domain: 'hs' }, log);
  return { ghosts, avatarUrls, rows };
}

const photo = (key: string): RemoteMedia => ({ key, fetch: async () => Buffer.from('png') });

describe('ghost avatars', () => {
  it('clear the Matrix avatar when the remote user removed theirs (avatar: null)', async () => {
    const { ghosts, avatarUrls, rows } = ghostsWithProfiles();
    await ghosts.ensure({ id: 'bob', avatar: photo('p1') });
    await ghosts.ensure({ id: 'bob', avatar: null });
    expect(avatarUrls).toEqual(['mxc://hs/p1', '']);
    expect(rows.get('bob')).not.toHaveProperty('avatarKey');
  });

  it('keep the avatar when the remote profile does not say (avatar left out)', async () => {
    const { ghosts, avatarUrls } = ghostsWithProfiles();
    await ghosts.ensure({ id: 'bob', avatar: photo('p1') });
    await ghosts.ensure({ id: 'bob', displayName: 'Bob' });
    expect(avatarUrls).toEqual(['mxc://hs/p1']);
  });

  it('clear an avatar once, and set the same photo again after it was cleared', async () => {
    const { ghosts, avatarUrls } = ghostsWithProfiles();
    await ghosts.ensure({ id: 'bob', avatar: null });
    await ghosts.ensure({ id: 'bob', avatar: photo('p1') });
    await ghosts.ensure({ id: 'bob', avatar: null });
    await ghosts.ensure({ id: 'bob', avatar: null });
    await ghosts.ensure({ id: 'bob', avatar: photo('p1') });
    expect(avatarUrls).toEqual(['mxc://hs/p1', '', 'mxc://hs/p1']);
  });
});
