import { describe, expect, it } from '@jest/globals';
import type { Logger } from '../log/logger';
import type { Ghosts } from '../matrix/ghosts';
import type { MatrixApi } from '../matrix/matrix-api';
import type { MediaBridge } from '../matrix/media';
import type { Portals } from '../matrix/portals';
import type { RemoteEvent, RemoteMedia } from '../model/events';
import type { Portal } from '../model/portal';
import { BridgeMetrics } from '../ops/metrics';
import type { MessageStore } from '../store/store';
import { RemoteToMatrix } from './remote-to-matrix';

/** The room state a chat-info event leads to, in the order it was sent. */
async function stateSentFor(ev: Extract<RemoteEvent, { kind: 'chat-info' }>) {
  const sent: [string, Record<string, unknown>][] = [];
  const portal = { chatId: 'c1', roomId: '!r:hs' } as Portal;
  const api = {
    sendState: async (_room: string, type: string, _key: string, content: Record<string, unknown>) => {
      sent.push([type, content]);
      return '$s';
    },
  } as unknown as MatrixApi;
  const delivery = new RemoteToMatrix({
    network: 'net',
    networkName: 'Net',
    api,
    ghosts: {} as Ghosts,
    portals: { byChat: async () => portal, update: async () => {} } as unknown as Portals,
    media: { upload: async (m: RemoteMedia) => `mxc://hs/${m.key}` } as unknown as MediaBridge,
    messages: {} as MessageStore,
    retry: { maxAttempts: 1, initialBackoffMs: 1, maxBackoffMs: 1 },
    metrics: new BridgeMetrics('net'),
    log: { debug: () => {}, warn: () => {}, error: () => {} } as unknown as Logger,
  });
  await delivery.handle(ev);
  return sent;
}

describe('chat info from the remote network', () => {
  it("sets the room's avatar from the chat's new photo", async () => {
    const avatar = { key: 'photo1', fetch: async () => Buffer.from('png') };
    expect(await stateSentFor({ kind: 'chat-info', chatId: 'c1', avatar })).toEqual([
      ['m.room.avatar', { url: 'mxc://hs/photo1' }],
    ]);
  });

  it("clears the room's avatar when the chat's photo was removed (avatar: null)", async () => {
    expect(await stateSentFor({ kind: 'chat-info', chatId: 'c1', avatar: null })).toEqual([
      ['m.room.avatar', {}],
    ]);
  });

  it("leaves the room's avatar alone when the event does not mention it", async () => {
    expect(await stateSentFor({ kind: 'chat-info', chatId: 'c1', name: 'New name' })).toEqual([
      ['m.room.name', { name: 'New name' }],
    ]);
  });
});
