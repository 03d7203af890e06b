import type { ICreateRoomOpts, MatrixClient } from 'matrix-js-sdk' with { 'resolution-mode': 'import' };
import type { RegisteredMatrixUser } from '../synapse/shared-secret-registration';
import { loadMatrixSdk } from './load-matrix-sdk';
import { quietSdkLogger } from './quiet-logger';
import { RoomEventLog, type MatrixTimelineEvent } from './room-event-log';
import { SyncLoop, type MatrixInvite } from './sync-loop';

/** What a test user needs to act: the access token of a logged-in device. */
export interface MatrixCredentials {
  userId: string;
  accessToken: string;
  deviceId: string;
}

/** A homeserver that can make users (a {@link SynapseHandle} is one). */
export interface UserRegistrar {
  readonly url: string;
  registerUser(localpart: string, password?: string, admin?: boolean): Promise<RegisteredMatrixUser>;
}

/** Returns true for the event being waited for. */
export type MatrixEventPredicate = (event: MatrixTimelineEvent) => boolean;

const DEFAULT_WAIT_MS = 10_000;

function describeEvent(event: MatrixTimelineEvent): string {
  const body = typeof event.content.body === 'string' ? ` "${event.content.body.slice(0, 60)}"` : '';
  return `${event.event_id} ${event.type} from ${event.sender}${body}`;
}

/**
 * A real Matrix user for end-to-end tests, as Element would be: matrix-js-sdk for every request,
 * plus a `/sync` loop that logs every timeline event of every room from the moment the user connects,
 * so {@link waitForEvent} also finds events that arrived before it was called. No encryption.
 *
 * Every `send*` method resolves to the new event's id once the homeserver accepted it.
 */
export class MatrixTestUser {
  private readonly events = new RoomEventLog<MatrixTimelineEvent>(describeEvent);
  private readonly invites = new RoomEventLog<MatrixInvite>(
    (invite) => `invite to ${invite.room_id} from ${invite.sender}`,
  );
  private readonly sync: SyncLoop;

  private constructor(
    /** The SDK client, for anything this class does not wrap. */
    readonly client: MatrixClient,
    readonly userId: string,
  ) {
    this.sync = new SyncLoop(client, userId, {
      onTimelineEvents: (events) => this.events.append(events),
      onInvites: (invites) => this.invites.append(invites),
    });
  }

  /**
   * Register `localpart` on the homeserver (shared-secret admin API) and connect as that user.
   * @param options.displayName - Set a display name (Synapse's default is the localpart).
   */
  static async register(
    homeserver: UserRegistrar,
    localpart: string,
    options: { admin?: boolean; displayName?: string } = {},
  ): Promise<MatrixTestUser> {
    const registered = await homeserver.registerUser(localpart, undefined, options.admin ?? false);
    const user = await MatrixTestUser.connect(homeserver.url, registered);
    if (options.displayName !== undefined) await user.client.setDisplayName(options.displayName);
    return user;
  }

  /** Connect as an existing user; resolves after the initial sync, when the event log starts. */
  static async connect(homeserverUrl: string, credentials: MatrixCredentials): Promise<MatrixTestUser> {
    const client = loadMatrixSdk().createClient({
      baseUrl: homeserverUrl,
      userId: credentials.userId,
      accessToken: credentials.accessToken,
      deviceId: credentials.deviceId,
      logger: quietSdkLogger,
    });
    const user = new MatrixTestUser(client, credentials.userId);
    await user.sync.start();
    return user;
  }

  /** Join a room by id or alias; resolves to the room id. */
  async joinRoom(roomIdOrAlias: string): Promise<string> {
    return (await this.client.joinRoom(roomIdOrAlias)).roomId;
  }

  /** Create a room; resolves to its id. */
  async createRoom(options: ICreateRoomOpts = {}): Promise<string> {
    return (await this.client.createRoom(options)).room_id;
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.client.invite(roomId, userId);
  }

  /** Send any event; the other `send*` methods are shorthands for common message shapes. */
  async sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
    // Contents here are spec JSON; the SDK's per-type content typings are narrower than the spec.
    const send = this.client.sendEvent.bind(this.client) as (
      roomId: string,
      type: string,
      content: Record<string, unknown>,
    ) => Promise<{ event_id: string }>;
    return (await send(roomId, type, content)).event_id;
  }

  sendText(roomId: string, body: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', { msgtype: 'm.text', body });
  }

  /** An `m.text` with `org.matrix.custom.html` formatting; `body` is the plain-text fallback. */
  sendHtml(roomId: string, body: string, html: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body,
      format: 'org.matrix.custom.html',
      formatted_body: html,
    });
  }

  sendEmote(roomId: string, body: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', { msgtype: 'm.emote', body });
  }

  sendNotice(roomId: string, body: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', { msgtype: 'm.notice', body });
  }

  /** A reply (`m.in_reply_to`), without the fallback quote that Matrix 1.13 dropped. */
  sendReply(roomId: string, inReplyTo: string, body: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body,
      'm.relates_to': { 'm.in_reply_to': { event_id: inReplyTo } },
    });
  }

  /** An edit (`m.replace`) of one of this user's messages, the way Element sends it. */
  sendEdit(roomId: string, originalEventId: string, newBody: string): Promise<string> {
    return this.sendEvent(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: `* ${newBody}`,
      'm.new_content': { msgtype: 'm.text', body: newBody },
      'm.relates_to': { rel_type: 'm.replace', event_id: originalEventId },
    });
  }

  async redact(roomId: string, eventId: string, reason?: string): Promise<string> {
    const response = await this.client.redactEvent(
      roomId,
      eventId,
      undefined,
      reason ? { reason } : undefined,
    );
    return response.event_id;
  }

  /** An `m.reaction` annotation with `key` (usually an emoji). */
  react(roomId: string, eventId: string, key: string): Promise<string> {
    return this.sendEvent(roomId, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key },
    });
  }

  /** Upload `data` to the media repository; resolves to its `mxc://` URI. */
  async uploadMedia(data: Buffer, name: string, mimetype: string): Promise<string> {
    return (await this.client.uploadContent(data, { name, type: mimetype })).content_uri;
  }

  /** Upload an image and post it as `m.image`. */
  async sendImage(roomId: string, data: Buffer, name: string, mimetype: string): Promise<string> {
    const url = await this.uploadMedia(data, name, mimetype);
    return this.sendEvent(roomId, 'm.room.message', {
      msgtype: 'm.image',
      body: name,
      filename: name,
      url,
      info: { mimetype, size: data.length },
    });
  }

  /** Download media through the authenticated media API (`/_matrix/client/v1/media/download`). */
  async downloadMedia(mxc: string): Promise<Buffer> {
    const url = this.client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
    if (!url) throw new Error(`not an mxc URI: ${mxc}`);
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.client.getAccessToken()}` },
    });
    if (!response.ok)
      throw new Error(`downloading ${mxc} failed: HTTP ${response.status} ${await response.text()}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /**
   * The first event in `roomId` matching `predicate`, whether it arrived before this call or
   * arrives within `timeoutMs` (default 10 s).
   * @throws {@link EventWaitTimeoutError} listing the room's events when none matched.
   */
  waitForEvent(
    roomId: string,
    predicate: MatrixEventPredicate,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<MatrixTimelineEvent> {
    return this.events.waitFor(roomId, predicate, timeoutMs);
  }

  /** The first invitation (already received or still to come) matching `predicate`. */
  waitForInvite(predicate: (invite: MatrixInvite) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS) {
    return this.invites.waitFor(undefined, predicate, timeoutMs);
  }

  /** Every timeline event seen in `roomId` since this user connected, oldest first. */
  timeline(roomId: string): readonly MatrixTimelineEvent[] {
    return this.events.list(roomId);
  }

  /** The content of a state event, or undefined when the room has no such state. */
  async getState(roomId: string, type: string, stateKey = ''): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.client.getStateEvent(roomId, type, stateKey);
    } catch (error) {
      if ((error as { errcode?: string }).errcode === 'M_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** Stop syncing; pending waits reject. The access token stays valid. */
  async stop(): Promise<void> {
    await this.sync.stop();
    const stopped = new Error(`${this.userId} was stopped`);
    this.events.close(stopped);
    this.invites.close(stopped);
    this.client.stopClient();
  }
}
