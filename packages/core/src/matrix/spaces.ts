/**
 * Spaces: a remote group of chats (a Discord guild) becomes a Matrix space holding the group's portals,
 * created the first time one of its chats gets a portal, with the group's picture as its avatar.
 */
import type { SpaceInfo } from '../connector/connector';
import type { RemoteMedia } from '../model/events';
import type { Logger } from '../log/logger';
import type { KeyValueStore } from '../store/store';
import type { MatrixApi } from './matrix-api';
import type { MediaBridge } from './media';

const NAMESPACE = 'core.spaces';

export class Spaces {
  private readonly creating = new Map<string, Promise<string>>();

  constructor(
    private readonly api: MatrixApi,
    private readonly kv: KeyValueStore,
    private readonly domain: string,
    private readonly media: MediaBridge,
    private readonly log: Logger,
  ) {}

  /** The space room for a remote group, created on first use. */
  ensure(space: SpaceInfo): Promise<string> {
    let job = this.creating.get(space.id);
    if (!job) {
      job = (async () => {
        const known = await this.kv.get<string>(NAMESPACE, space.id);
        if (known) return known;
        const avatar = space.avatar ? await this.picture(space.avatar) : undefined;
        const roomId = await this.api.createRoom({
          name: space.name,
          topic: space.topic,
          preset: 'public_chat',
          creationContent: { type: 'm.space' },
          // Only the bridge arranges the space; people join and read.
          powerLevelContentOverride: { events_default: 100 },
          ...(avatar
            ? { initialState: [{ type: 'm.room.avatar', state_key: '', content: { url: avatar } }] }
            : {}),
        });
        await this.kv.set(NAMESPACE, space.id, roomId);
        return roomId;
      })().finally(() => this.creating.delete(space.id));
      this.creating.set(space.id, job);
    }
    return job;
  }

  /**
   * Set the name, topic and (when given) avatar of a group's space to the group's current ones; false when
   * it has no space. Unchanged state costs nothing: Synapse drops a state event identical to the current one.
   */
  async update(space: SpaceInfo): Promise<boolean> {
    const spaceRoomId = await this.kv.get<string>(NAMESPACE, space.id);
    if (!spaceRoomId) return false;
    await this.api.sendState(spaceRoomId, 'm.room.name', '', { name: space.name });
    await this.api.sendState(spaceRoomId, 'm.room.topic', '', { topic: space.topic ?? '' });
    if (space.avatar) {
      const url = await this.media.upload(space.avatar);
      await this.api.sendState(spaceRoomId, 'm.room.avatar', '', { url });
    } else if (space.avatar === null) {
      // An m.room.avatar with no url is how Matrix removes a room's avatar; a space that has none gets no
      // "removed the avatar" event at every start.
      const current = await this.api.getState<{ url?: string }>(spaceRoomId, 'm.room.avatar');
      if (current?.url) await this.api.sendState(spaceRoomId, 'm.room.avatar', '', {});
    }
    return true;
  }

  /**
   * The mxc URI of a new room's avatar: a group's picture for its space, or for its portals (one
   * upload for all of them, as uploads are kept by the picture's key). A picture that cannot be
   * fetched leaves the room without one rather than unmade.
   */
  async picture(media: RemoteMedia): Promise<string | undefined> {
    try {
      return await this.media.upload(media);
    } catch (err) {
      this.log.warn('room avatar not set', { picture: media.key, err });
      return undefined;
    }
  }

  /** Put a portal in its group's space (both directions of the MSC1772 relation). */
  async addPortal(space: SpaceInfo, portalRoomId: string): Promise<void> {
    const spaceRoomId = await this.ensure(space);
    await this.api.sendState(spaceRoomId, 'm.space.child', portalRoomId, { via: [this.domain] });
    await this.api.sendState(portalRoomId, 'm.space.parent', spaceRoomId, {
      via: [this.domain],
      canonical: true,
    });
  }

  /** Take a portal out of its space (on unlink). */
  async removePortal(spaceId: string, portalRoomId: string): Promise<void> {
    const spaceRoomId = await this.kv.get<string>(NAMESPACE, spaceId);
    if (spaceRoomId) await this.api.sendState(spaceRoomId, 'm.space.child', portalRoomId, {});
  }
}
