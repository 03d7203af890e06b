/**
 * A Matrix user invites a ghost into a room the bridge does not know: how a private chat with a remote
 * person is started from Matrix ("start a DM with @irc_libera.bob"). The connector names the remote chat
 * ({@link GhostInviteConnector}); the ghost joins and the room becomes a `dm` portal. A ghost that cannot
 * be talked to this way joins just long enough to say why, then leaves.
 */
import type { RawMatrixEvent } from '../appservice/appservice-server';
import { acceptsGhostInvites, type Connector } from '../connector/connector';
import type { Logger } from '../log/logger';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Ghosts } from '../matrix/ghosts';
import type { Portals } from '../matrix/portals';
import type { Portal } from '../model/portal';

export class GhostInvites {
  constructor(
    private readonly connector: Connector,
    private readonly api: MatrixApi,
    private readonly ghosts: Ghosts,
    private readonly portals: Portals,
    private readonly log: Logger,
    private readonly onPortalCreated: () => void = () => undefined,
  ) {}

  /** True when the event was a ghost's invitation into an unbridged room, now answered. */
  async handle(ev: RawMatrixEvent, portal: Portal | undefined): Promise<boolean> {
    if (portal || ev.type !== 'm.room.member' || ev.content.membership !== 'invite' || !ev.state_key)
      return false;
    const remoteUserId = this.ghosts.remoteIdOf(ev.state_key);
    if (remoteUserId === undefined) return false;
    const ghost = ev.state_key;
    const chat = acceptsGhostInvites(this.connector)
      ? await this.connector.directChatWithGhost(remoteUserId, ev.sender, {
          isDirect: ev.content.is_direct === true,
        })
      : undefined;
    await this.ghosts.ensure({ id: remoteUserId, ...(chat?.name && { displayName: chat.name }) });
    await this.api.join(ev.room_id, ghost);
    if (!chat) {
      await this.api.sendEvent(
        ev.room_id,
        'm.room.message',
        {
          msgtype: 'm.notice',
          body: `This ${this.connector.displayName} user cannot be written to privately through the bridge.`,
        },
        `trestle.ghost-invite.${ev.event_id}`,
        ghost,
      );
      await this.api.leave(ev.room_id, ghost);
      return true;
    }
    const existing = await this.portals.byChat(chat.chatId);
    if (existing && existing.roomId !== ev.room_id) {
      // The newest room the user opened wins; the old one keeps its history but is no longer bridged.
      await this.portals.unlink(existing);
    }
    await this.portals.plumb(ev.room_id, { ...chat, kind: 'dm' });
    if (!existing) this.onPortalCreated();
    this.log.info('direct chat started from Matrix', { portal: ev.room_id, chat: chat.chatId });
    return true;
  }
}
