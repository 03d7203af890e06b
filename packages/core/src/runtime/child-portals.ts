/**
 * Child portals: rooms created on demand for chats that belong to a bridged chat (a Telegram forum
 * topic, a Discord thread), for connectors that opt in with {@link ChildChatConnector}. The new room gets
 * the same Matrix people as the parent chat's portal room, so whoever follows the parent sees its topics.
 */
import type { ChildChatConnector } from '../connector/connector';
import type { Logger } from '../log/logger';
import type { Portal } from '../model/portal';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Portals } from '../matrix/portals';

export class ChildPortals {
  constructor(
    private readonly connector: ChildChatConnector,
    private readonly api: MatrixApi,
    private readonly portals: Portals,
    /** True for the bridge's own users (bot and ghosts), who are not invited. */
    private readonly isBridgeUser: (userId: string) => boolean,
    private readonly log: Logger,
    private readonly onCreated: () => void,
  ) {}

  /**
   * The portal for `chatId` when the connector calls it a child chat and its parent is bridged (created
   * now), or undefined.
   */
  async portalFor(chatId: string): Promise<Portal | undefined> {
    const chat = await this.connector.childChatFor(chatId);
    if (!chat) return undefined;
    const parent = await this.portals.byChat(chat.parentChatId);
    if (!parent) {
      this.log.debug('child chat of an unbridged chat dropped', { chat: chatId, parent: chat.parentChatId });
      return undefined;
    }
    const people = (await this.api.joinedMembers(parent.roomId)).filter((u) => !this.isBridgeUser(u));
    const portal = await this.portals.createChild(chat, parent, people);
    this.onCreated();
    this.log.info('child portal created', { chat: chatId, portal: portal.roomId, parent: parent.roomId });
    return portal;
  }
}
