import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChildChatInfo } from '../connector/connector';
import { createLogger } from '../log/logger';
import type { MatrixApi } from '../matrix/matrix-api';
import { Portals } from '../matrix/portals';
import { MediaBridge } from '../matrix/media';
import { Spaces } from '../matrix/spaces';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';
import { ChildPortals } from './child-portals';

const bot = '@bot:hs';

/** Records what the runtime asks of the homeserver; rooms get ids in creation order. */
class RecordingHomeserver {
  readonly created: Array<Record<string, unknown>> = [];
  readonly state: Array<{ roomId: string; type: string; stateKey: string }> = [];
  readonly members = new Map<string, string[]>();
  readonly botUserId = bot;
  async createRoom(opts: Record<string, unknown>): Promise<string> {
    this.created.push(opts);
    return `!room${this.created.length}:hs`;
  }
  async sendState(roomId: string, type: string, stateKey: string): Promise<void> {
    this.state.push({ roomId, type, stateKey });
  }
  async joinedMembers(roomId: string): Promise<string[]> {
    return this.members.get(roomId) ?? [];
  }
}

const topic: ChildChatInfo = {
  chatId: 'forum/7',
  parentChatId: 'forum',
  kind: 'group',
  name: 'Ideas',
  space: { id: 'forum', name: 'Forum' },
};

describe('child portals', () => {
  let store: Store;
  let hs: RecordingHomeserver;
  let portals: Portals;
  let created = 0;
  const children = (info: ChildChatInfo | undefined) =>
    new ChildPortals(
      { childChatFor: async () => info },
      hs as unknown as MatrixApi,
      portals,
      (u) => u === bot || u.startsWith('@ghost_'),
      createLogger('error'),
      () => created++,
    );

  beforeEach(async () => {
    store = await openStore({ engine: 'sqlite', path: ':memory:' });
    hs = new RecordingHomeserver();
    const api = hs as unknown as MatrixApi;
    portals = new Portals(
      api,
      store.portals,
      { network: 'net', displayName: 'Net' },
      new Spaces(api, store.kv, 'hs', new MediaBridge(api, store.kv), createLogger('error')),
    );
    created = 0;
  });
  afterEach(() => store.close());

  it('a message in a topic of a bridged forum opens a room with the parent room’s people (open to later members of the parent), both in a space', async () => {
    const parent = await portals.plumb('!parent:hs', { chatId: 'forum', kind: 'group', name: 'Forum' });
    hs.members.set('!parent:hs', [bot, '@alice:hs', '@ghost_1:hs', '@bob:hs']);
    hs.state.length = 0;

    const portal = await children(topic).portalFor('forum/7');

    expect(portal).toMatchObject({
      chatId: 'forum/7',
      kind: 'group',
      name: 'Ideas',
      settings: { spaceId: 'forum' },
    });
    const space = hs.created.find((r) => r.creationContent);
    const room = hs.created.find((r) => !r.creationContent);
    expect(space).toMatchObject({ creationContent: { type: 'm.space' }, name: 'Forum' });
    expect(room).toMatchObject({ name: 'Ideas', preset: 'private_chat', invite: ['@alice:hs', '@bob:hs'] });
    expect(room!.initialState).toContainEqual({
      type: 'm.room.join_rules',
      state_key: '',
      content: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: '!parent:hs' }] },
    });
    const inSpace = hs.state.filter((s) => s.type === 'm.space.child').map((s) => s.stateKey);
    expect(inSpace.sort()).toEqual([portal!.roomId, parent.portal.roomId].sort());
    expect((await portals.byChat('forum'))?.settings.spaceId).toBe('forum');
    expect(await portals.byChat('forum/7')).toEqual(portal);
    expect(created).toBe(1);
  });

  it('a topic of a chat without a portal, or a chat the connector does not call a child, gets no room', async () => {
    expect(await children(topic).portalFor('forum/7')).toBeUndefined();
    expect(await children(undefined).portalFor('other')).toBeUndefined();
    expect(hs.created).toEqual([]);
    expect(created).toBe(0);
  });

  it('the parent joins the space once, however many topics open', async () => {
    await portals.plumb('!parent:hs', { chatId: 'forum', kind: 'group' });
    await children(topic).portalFor('forum/7');
    await children({ ...topic, chatId: 'forum/9', name: 'Plans' }).portalFor('forum/9');
    const parentInSpace = hs.state.filter((s) => s.type === 'm.space.child' && s.stateKey === '!parent:hs');
    expect(parentInSpace).toHaveLength(1);
  });
});
