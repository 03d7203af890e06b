/**
 * Events addressed to the bridge bot rather than to the network: invites (the bot joins, which is how
 * admins bring it into a room to plumb or to use as a management room) and bot commands.
 */
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { Logger } from '../log/logger';
import type { Portal } from '../model/portal';
import type { MatrixApi } from '../matrix/matrix-api';

/** A text message that may be a bot command. */
export interface CommandRequest {
  roomId: string;
  sender: string;
  body: string;
  portal: Portal | undefined;
}

/** Something that consumes bot commands; returns true when the message was one. */
export interface CommandHandler {
  handle(request: CommandRequest): Promise<boolean>;
}

export class BotIntercept {
  constructor(
    private readonly api: MatrixApi,
    private readonly botUserId: string,
    private readonly log: Logger,
    private readonly commands?: CommandHandler,
  ) {}

  /** True when the event was for the bot and must not be bridged. */
  /** The bot's own membership events and commands; false at once for every other event. */
  handle(ev: RawMatrixEvent, portal: Portal | undefined): false | Promise<boolean> {
    if (ev.type === 'm.room.member' && ev.state_key === this.botUserId) {
      if (ev.content.membership !== 'invite') return Promise.resolve(true);
      return this.api.join(ev.room_id).then(
        () => true,
        (err: unknown) => (this.log.warn('could not accept invite', { room: ev.room_id, err }), true),
      );
    }
    if (ev.type === 'm.room.message' && this.commands && typeof ev.content.body === 'string') {
      const isEdit =
        (ev.content['m.relates_to'] as { rel_type?: string } | undefined)?.rel_type === 'm.replace';
      if (isEdit) return false;
      return this.commands.handle({ roomId: ev.room_id, sender: ev.sender, body: ev.content.body, portal });
    }
    return false;
  }
}
