/**
 * A Matrix user invites a ghost into a room the bridge does not know: how a private chat with a remote
 * person is started from Matrix ("start a DM with @irc_libera.bob"). The connector names the remote chat
 * ({@link GhostInviteConnector}); the ghost joins and the room becomes a `dm` portal. A ghost that cannot
 * be talked to this way joins just long enough to say why (the connector's reason, or a generic one),
 * then leaves.
 */
import type { RawMatrixEvent } from '../appservice/appservice-server';
import {
  acceptsGhostInvites,
  type ChatInfo,
  type Connector,
  type DeclinedGhostInvite,
} from '../connector/connector';
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

  /**
   * When the event is a ghost's invitation into an unbridged room: its answer, resolving true. Otherwise
   * false at once (every Matrix event is asked, so the common answer costs no promise).
   */
  handle(ev: RawMatrixEvent, portal: Portal | undefined): false | Promise<true> {
    if (portal || ev.type !== 'm.room.member' || ev.content.membership !== 'invite' || !ev.state_key)
      return false;
    const remoteUserId = this.ghosts.remoteIdOf(ev.state_key);
    if (remoteUserId === undefined) return false;
    return this.respond(ev, remoteUserId, ev.state_key);
  }

  private async respond(ev: RawMatrixEvent, remoteUserId: string, ghost: string): Promise<true> {
    const answer = acceptsGhostInvites(this.connector)
      ? await this.connector.directChatWithGhost(remoteUserId, ev.sender, {
          isDirect: ev.content.is_direct === true,
        })
      : undefined;
    if (!answer || isDeclined(answer)) {
      const reason =
        answer?.declined ??
        `This ${this.connector.displayName} user cannot be written to privately through the bridge.`;
      await this.decline(ev, remoteUserId, ghost, reason);
      return true;
    }
    const chat = answer;
    await this.ghosts.ensure({ id: remoteUserId, ...(chat.name && { displayName: chat.name }) });
    await this.api.join(ev.room_id, ghost);
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

  /** The ghost joins just long enough to say why it cannot be written to here, then leaves. */
  private async decline(
    ev: RawMatrixEvent,
    remoteUserId: string,
    ghost: string,
    reason: string,
  ): Promise<void> {
    await this.ghosts.ensure({ id: remoteUserId });
    await this.api.join(ev.room_id, ghost);
    await this.api.sendEvent(
      ev.room_id,
      'm.room.message',
      { msgtype: 'm.notice', body: reason },
      `trestle.ghost-invite.${ev.event_id}`,
      ghost,
    );
    await this.api.leave(ev.room_id, ghost);
  }
}

function isDeclined(answer: ChatInfo | DeclinedGhostInvite): answer is DeclinedGhostInvite {
  return 'declined' in answer;
}
