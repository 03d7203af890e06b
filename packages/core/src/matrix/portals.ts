/**
 * Portals: Matrix rooms linked to remote chats. Created on demand from an alias query, or by plumbing
 * an existing room; each carries `m.bridge` and `uk.half-shot.bridge` state (MSC2346) so clients can
 * show which network the room is bridged to.
 */
import type { ChatInfo, ChildChatInfo, DirectChatInfo } from '../connector/connector';
import type { Portal } from '../model/portal';
import type { PortalStore } from '../store/store';
import type { Spaces } from './spaces';
import { MatrixApiError, type CreateRoomOptions, type MatrixApi } from './matrix-api';

export interface PortalNetwork {
  network: string;
  displayName: string;
}

/** The MSC2346 bridge-info state for a portal. */
export function bridgeInfoState(
  portal: Pick<Portal, 'chatId' | 'name'>,
  net: PortalNetwork,
  botUserId: string,
): { stateKey: string; content: Record<string, unknown> } {
  return {
    stateKey: `trestle://${net.network}/${portal.chatId}`,
    content: {
      bridgebot: botUserId,
      creator: botUserId,
      protocol: { id: net.network, displayname: net.displayName },
      channel: { id: portal.chatId, displayname: portal.name ?? portal.chatId },
    },
  };
}

export class Portals {
  /** Portals looked up during this process's life; the store is the source of truth. */
  private readonly byRoomCache = new Map<string, Portal | null>();
  private readonly byChatCache = new Map<string, Portal | null>();
  private readonly creating = new Map<string, Promise<Portal>>();

  constructor(
    private readonly api: MatrixApi,
    private readonly store: PortalStore,
    private readonly net: PortalNetwork,
    private readonly spaces?: Spaces,
  ) {}

  async byRoom(roomId: string): Promise<Portal | undefined> {
    let p = this.byRoomCache.get(roomId);
    if (p === undefined) {
      p = (await this.store.byRoom(roomId)) ?? null;
      this.byRoomCache.set(roomId, p);
    }
    return p ?? undefined;
  }

  async byChat(chatId: string): Promise<Portal | undefined> {
    let p = this.byChatCache.get(chatId);
    if (p === undefined) {
      p = (await this.store.byChat(chatId)) ?? null;
      this.byChatCache.set(chatId, p);
    }
    return p ?? undefined;
  }

  /** Create a public portal room carrying `alias`, for a chat the connector recognised. */
  createForAlias(aliasLocalpart: string, chat: ChatInfo): Promise<Portal> {
    return this.createRoomFor(chat, chat.kind, { aliasLocalpart, preset: 'public_chat' });
  }

  /** Create a private portal for a direct chat, inviting the Matrix users it is addressed to. */
  createDirect(chat: DirectChatInfo): Promise<Portal> {
    return this.createRoomFor(chat, 'dm', {
      invite: chat.invite,
      isDirect: true,
      preset: 'trusted_private_chat',
    });
  }

  /**
   * Create a portal for a chat that belongs to a bridged one (a forum topic), inviting `invite`; anyone in
   * the parent's room may join it later. With `chat.space`, the new room and the parent's room are both
   * put in that space.
   */
  async createChild(chat: ChildChatInfo, parent: Portal, invite: string[]): Promise<Portal> {
    const portal = await this.createRoomFor(chat, chat.kind, {
      invite,
      preset: 'private_chat',
      // Whoever joins the parent room later may join this one too (MSC3083 restricted join rule).
      initialState: [
        {
          type: 'm.room.join_rules',
          state_key: '',
          content: {
            join_rule: 'restricted',
            allow: [{ type: 'm.room_membership', room_id: parent.roomId }],
          },
        },
      ],
    });
    if (chat.space && this.spaces && parent.settings.spaceId !== chat.space.id) {
      try {
        await this.spaces.addPortal(chat.space, parent.roomId);
      } catch (err) {
        // A plumbed parent room where the bot may not write m.space.parent is still listed in the space.
        if (!(err instanceof MatrixApiError) || err.errcode !== 'M_FORBIDDEN') throw err;
      }
      await this.update({ ...parent, settings: { ...parent.settings, spaceId: chat.space.id } });
    }
    return portal;
  }

  /** Create the room for a chat once, however many events ask for it at the same time. */
  private createRoomFor(chat: ChatInfo, kind: Portal['kind'], room: CreateRoomOptions): Promise<Portal> {
    const pending = this.creating.get(chat.chatId);
    if (pending) return pending;
    const job = (async () => {
      const existing = await this.byChat(chat.chatId);
      if (existing) return existing;
      const info = bridgeInfoState({ chatId: chat.chatId, name: chat.name }, this.net, this.api.botUserId);
      const avatar = chat.avatar ? await this.spaces?.picture(chat.avatar) : undefined;
      const roomId = await this.api.createRoom({
        ...room,
        name: chat.name,
        topic: chat.topic,
        initialState: [
          ...(room.initialState ?? []),
          { type: 'm.bridge', state_key: info.stateKey, content: info.content },
          { type: 'uk.half-shot.bridge', state_key: info.stateKey, content: info.content },
          ...(avatar ? [{ type: 'm.room.avatar', state_key: '', content: { url: avatar } }] : []),
        ],
      });
      if (chat.space && this.spaces) await this.spaces.addPortal(chat.space, roomId);
      return this.remember({
        roomId,
        chatId: chat.chatId,
        kind,
        plumbed: false,
        name: chat.name,
        topic: chat.topic,
        settings: chat.space ? { spaceId: chat.space.id } : {},
        createdAt: Date.now(),
      });
    })().finally(() => this.creating.delete(chat.chatId));
    this.creating.set(chat.chatId, job);
    return job;
  }

  /**
   * Link an existing room (the bot must already be in it) to a remote chat. The bridge-info state is
   * written when the bot has the power to; `markedAsBridged` says whether it had.
   */
  async plumb(roomId: string, chat: ChatInfo): Promise<{ portal: Portal; markedAsBridged: boolean }> {
    const portal = await this.remember({
      roomId,
      chatId: chat.chatId,
      kind: chat.kind,
      plumbed: true,
      name: chat.name,
      topic: chat.topic,
      settings: {},
      createdAt: Date.now(),
    });
    try {
      await this.writeBridgeInfo(portal);
      return { portal, markedAsBridged: true };
    } catch (err) {
      if (err instanceof MatrixApiError && err.errcode === 'M_FORBIDDEN')
        return { portal, markedAsBridged: false };
      throw err;
    }
  }

  /** Remove the link; the room stays, with its bridge-info state emptied. */
  async unlink(portal: Portal): Promise<void> {
    await this.store.remove(portal.roomId);
    if (typeof portal.settings.spaceId === 'string')
      await this.spaces?.removePortal(portal.settings.spaceId, portal.roomId);
    this.byRoomCache.set(portal.roomId, null);
    this.byChatCache.set(portal.chatId, null);
    const info = bridgeInfoState(portal, this.net, this.api.botUserId);
    try {
      await this.api.sendState(portal.roomId, 'm.bridge', info.stateKey, {});
      await this.api.sendState(portal.roomId, 'uk.half-shot.bridge', info.stateKey, {});
    } catch (err) {
      // A plumbed room where the bot never got the power to write the state has none to empty.
      if (!(err instanceof MatrixApiError) || err.errcode !== 'M_FORBIDDEN') throw err;
    }
  }

  /** Point the portal at the chat's new remote id (e.g. a Telegram group that became a supergroup). */
  async migrate(portal: Portal, newChatId: string): Promise<Portal> {
    this.byChatCache.set(portal.chatId, null);
    return this.remember({ ...portal, chatId: newChatId });
  }

  /** Save changed portal fields (name, topic, settings). */
  async update(portal: Portal): Promise<void> {
    await this.remember(portal);
  }

  private async writeBridgeInfo(portal: Portal): Promise<void> {
    const info = bridgeInfoState(portal, this.net, this.api.botUserId);
    await this.api.sendState(portal.roomId, 'm.bridge', info.stateKey, info.content);
    await this.api.sendState(portal.roomId, 'uk.half-shot.bridge', info.stateKey, info.content);
  }

  private async remember(portal: Portal): Promise<Portal> {
    await this.store.upsert(portal);
    this.byRoomCache.set(portal.roomId, portal);
    this.byChatCache.set(portal.chatId, portal);
    return portal;
  }
}
