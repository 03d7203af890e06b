/**
 * The connector contract: everything a bridge author implements to put a network on Matrix.
 *
 * A connector is one object the core drives. The required part is small ({@link Connector});
 * optional abilities are separate interfaces ({@link AliasResolvingConnector}, {@link BackfillingConnector},
 * {@link CommandProvidingConnector} …) that the core detects with the type guards at the end of this file.
 * Each bridge proves the contract at compile time with `satisfies Connector`.
 *
 * Everything that is the same for every network — store, ordered delivery, ghosts, Matrix formatting,
 * retries, metrics — lives in the core. A capability a network lacks is declared in
 * {@link Capabilities}, and the core degrades visibly (an edit becomes a correction message, etc.).
 */
import type { MatrixSideEvent, RemoteEvent, RemoteMedia, RemoteRef, RemoteUser } from '../model/events';
import type { Portal } from '../model/portal';
import type { KeyValueStore, LoginStore } from '../store/store';
import type { Logger } from '../log/logger';
import type { CommandDefinition } from '../commands/command';

/** What a network can express. The core uses it to degrade visibly, never silently. */
export interface Capabilities {
  edits: boolean;
  redactions: boolean;
  reactions: boolean;
  replies: boolean;
  threads: boolean;
  typing: boolean;
  media: boolean;
  /** Longest message the network accepts, in characters (the connector splits longer ones itself). */
  maxMessageLength?: number;
  /** Largest file the network accepts, in bytes. */
  maxMediaBytes?: number;
}

/** What the core gives a connector when it starts. */
export interface BridgeContext<TConfig = unknown> {
  /** The connector's own section of the bridge config, already validated. */
  readonly config: TConfig;
  readonly log: Logger;
  /** Namespaced key/value storage (cursors, tokens …). */
  readonly kv: KeyValueStore;
  readonly logins: LoginStore;
  /** The homeserver's domain (the part after `:` in user ids). */
  readonly domain: string;
  /** The bridge bot's Matrix user id, for texts that tell people where to send a command. */
  readonly botUserId: string;
  /** The prefix of bot commands in rooms (`bridge.command_prefix`, e.g. `!telegram`). */
  readonly commandPrefix: string;
  /**
   * Hand a remote event to the core. The promise settles when the event is durably handled (sent
   * to Matrix and recorded in the message map, or dropped with a visible notice); only then should
   * the connector commit its network cursor (Telegram offset, Discord last message id …).
   */
  emit(event: RemoteEvent): Promise<void>;
  /** The Matrix user id the core uses for a remote user (no network call). */
  ghostUserId(remoteUserId: string): string;
  /** True when a Matrix user id belongs to this bridge's ghost namespace (so it must not be bridged back). */
  isGhost(userId: string): boolean;
  /** The portal linked to a remote chat, if any. */
  portalForChat(chatId: string): Promise<Portal | undefined>;
  /**
   * The remote user ids of the ghosts joined to the portal room of a chat, as the homeserver lists them
   * now: for bringing a member list in line with the network after downtime. Resolves undefined when the
   * chat has no portal.
   */
  portalGhosts?(chatId: string): Promise<string[] | undefined>;
  /** The portal a Matrix room is, if any (e.g. for a connector command run in that room). */
  portalForRoom(roomId: string): Promise<Portal | undefined>;
  /** Post a notice into a portal room as the bridge bot (e.g. "this message could not be delivered"). */
  notice(roomId: string, text: string): Promise<void>;
  /**
   * Remove the portal of a remote chat (unlinked from the network side, the bot was removed, the chat was
   * deleted). The room stays, with a notice saying why. Resolves false when the chat had no portal.
   */
  unlinkChat(chatId: string, reason: string): Promise<boolean>;
  /**
   * Bring the Matrix space of a remote group (a Discord guild) up to date after the group was renamed,
   * its description or its picture changed. Resolves false when the group has no space.
   */
  updateSpace?(space: SpaceInfo): Promise<boolean>;
  /**
   * Merge power levels into the portal room of a chat (user id -> level; 0 removes the entry). Used for
   * network roles such as IRC channel operators. Resolves false when the chat has no portal; rejects when
   * the bot lacks the power to change them.
   */
  setPowerLevels?(chatId: string, levels: Record<string, number>): Promise<boolean>;
  /** Remove a Matrix user (not a ghost) from the portal of a chat, as the bot, e.g. kicked on the network. */
  kickFromPortal?(chatId: string, userId: string, reason: string): Promise<boolean>;
  /** Ban a Matrix user (not a ghost) from the portal of a chat, as the bot, e.g. banned on the network. */
  banFromPortal?(chatId: string, userId: string, reason: string): Promise<boolean>;
  /** Lift a ban of a Matrix user from the portal of a chat, as the bot, e.g. unbanned on the network. */
  unbanFromPortal?(chatId: string, userId: string, reason: string): Promise<boolean>;
  /** Matrix media for people on the network: upload, and public links when the admin enabled them. */
  readonly media?: ConnectorMedia;
}

/** Media helpers for connectors (see {@link BridgeContext.media}). */
export interface ConnectorMedia {
  /** Upload to the homeserver as the bot; resolves with the `mxc://` URI. */
  upload(data: Buffer, contentType: string, filename?: string): Promise<string>;
  /**
   * A signed public https link that serves this Matrix media without a Matrix account, or undefined
   * when the admin has not enabled public media (`public_media` in the bridge config).
   */
  publicUrl(mxc: string, filename?: string): string | undefined;
}

/** The result of asking a connector whether an alias names a remote chat. */
export interface ChatInfo {
  chatId: string;
  name?: string;
  topic?: string;
  kind: Portal['kind'];
  /** Remote users already in the chat (their ghosts join the new portal in the background). */
  members?: RemoteUser[];
  /** The group the chat belongs to (a Discord guild): its portal is put in a Matrix space for it. */
  space?: SpaceInfo;
  /**
   * The chat's picture (for a Discord channel, its guild's icon): the avatar of a portal the bridge
   * creates, uploaded once however many rooms show it. A plumbed room keeps the avatar it has.
   */
  avatar?: RemoteMedia;
  /** Power levels of members' ghosts in a new portal, by remote user id (IRC channel operators …). */
  powerLevels?: Record<string, number>;
}

/** A remote group of chats, bridged as a Matrix space. */
export interface SpaceInfo {
  /** Stable id of the group on the network. */
  id: string;
  name: string;
  topic?: string;
  /**
   * The group's picture (a Discord guild icon), shown as the space's avatar. `null` says the group has
   * none (the space's avatar is cleared); leaving it out changes nothing.
   */
  avatar?: RemoteMedia | null;
}

/** The required part of every connector. */
export interface Connector<TConfig = unknown> {
  /** Short lowercase name: "irc", "discord", "telegram", "loopback". */
  readonly network: string;
  /** Human-readable name for `m.bridge` state and help texts. */
  readonly displayName: string;
  readonly capabilities: Capabilities;
  start(ctx: BridgeContext<TConfig>): Promise<void>;
  /** Stop taking new remote events; the core has already drained its queues. */
  stop(): Promise<void>;
  /**
   * Deliver one Matrix-side event into a portal's remote chat. Return the remote ids created (for
   * messages and reactions) so edits, replies, redactions and reactions can follow them; return []
   * for events that create nothing. Throw {@link RemoteSendError} for failures (the core retries
   * retryable ones and tells the room about the rest).
   */
  send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]>;
}

/** Opt-in: portals created on demand from an alias query (`#<prefix><localpart>:<domain>`). */
export interface AliasResolvingConnector {
  /** Map the alias localpart (after the configured prefix) to a remote chat, or undefined if none. */
  resolveAlias(localpart: string): Promise<ChatInfo | undefined>;
}

/** Opt-in: plumbing an existing Matrix room into a remote chat through the `link` command. */
export interface PlumbingConnector {
  /** Check that the chat exists and the bridge may link it; throw a readable error otherwise. */
  prepareLink(chatId: string, requestedBy: string): Promise<ChatInfo>;
}

/** Opt-in: fetch what was said while the bridge was away (IRC CHATHISTORY, Discord message history). */
export interface BackfillingConnector {
  /** Emit missed remote events for a portal, oldest first, through `ctx.emit`. */
  backfill(portal: Portal): Promise<void>;
}

/** Opt-in: network-specific bot commands (in addition to the core's help/link/unlink …). */
export interface CommandProvidingConnector {
  commands(): CommandDefinition[];
}

/** Opt-in: Matrix users' own connections to the network (IRC virtual users, Discord/Telegram logins). */
export interface PuppetingConnector {
  /** Called when a Matrix user joins a portal, before the join is sent on; connect them if policy says so. */
  onMatrixUserJoined(portal: Portal, userId: string): Promise<void>;
}

/** A chat the core has no portal for, which the connector wants bridged as a direct chat (e.g. an IRC PM). */
export interface DirectChatInfo extends ChatInfo {
  /** The Matrix users to invite into the new room (the person the message was addressed to). */
  invite: string[];
}

/**
 * Opt-in: portals created on demand when a remote event arrives for a chat without one — private
 * messages to a Matrix user's puppet, a DM to the bot. Without it, such events are dropped (and logged).
 */
export interface DirectChatConnector {
  /** Describe the chat to create a portal for, or undefined to drop the event. */
  directChatFor(chatId: string): Promise<DirectChatInfo | undefined>;
}

/** A chat that belongs to another bridged chat (a forum topic, a Discord thread), bridged as its own room. */
export interface ChildChatInfo extends ChatInfo {
  /** The remote chat it belongs to. Without a portal for that chat, no room is created. */
  parentChatId: string;
}

/**
 * Opt-in: group portals created on demand when a remote message arrives for a chat without one that
 * belongs to a bridged chat — a Telegram forum topic or a Discord thread bridged as its own room. The
 * core creates a private room (named from the info, marked as bridged), invites the Matrix users who are
 * in the parent chat's portal room, and, when the info names a `space`, puts both the new room and the
 * parent's room in that space. Only messages open such a room (a reaction or typing is no reason to).
 */
export interface ChildChatConnector {
  /** Describe the chat to create a portal for, or undefined when the chat is not a child chat. */
  childChatFor(chatId: string): Promise<ChildChatInfo | undefined>;
}

/**
 * A ghost invite the connector turns down, with what the inviter should read: why this person cannot be
 * written to privately, and what to do instead (pair first, open a direct chat rather than a group …).
 */
export interface DeclinedGhostInvite {
  /** Plain text, posted in the room by the ghost before it leaves. */
  declined: string;
}

/**
 * Opt-in: a Matrix user invites a ghost into a room the bridge does not know (Element's "start a direct
 * chat with @irc_net.bob"): the connector says which remote chat that room becomes, or declines. When
 * accepted, the ghost joins and the room becomes a portal of kind `dm`. When declined, the ghost joins
 * just long enough to post the connector's reason ({@link DeclinedGhostInvite}), or, when the answer is
 * undefined, a generic "cannot be written to privately", and leaves.
 */
export interface GhostInviteConnector {
  /** `invite.isDirect` is the invite's `is_direct` flag (a client starting a direct chat sets it). */
  directChatWithGhost(
    remoteUserId: string,
    inviter: string,
    invite?: { isDirect: boolean },
  ): Promise<ChatInfo | DeclinedGhostInvite | undefined>;
}

/**
 * Opt-in: told when a portal is unlinked with the `unlink` command, so the connector can leave the
 * remote chat for the Matrix users it spoke for there (IRC: part their nicks).
 */
export interface UnlinkAwareConnector {
  portalUnlinked(portal: Portal): Promise<void>;
}

/** A Matrix moderation action on remote people in a portal (see {@link ModerationConnector}). */
export type ModerationAction =
  | {
      kind: 'kick' | 'ban' | 'unban';
      /** The Matrix user who did it. */
      sender: string;
      /** The remote user behind the ghost acted on. */
      remoteUserId: string;
      reason?: string;
    }
  | {
      kind: 'power-levels';
      sender: string;
      /** User id -> level after the change, for users whose level changed (0 when removed). */
      changed: Record<string, number>;
    };

/**
 * Opt-in: Matrix kicks and bans of ghosts, and power-level changes, mirrored on the network (IRC KICK,
 * +b, +o). Without it they stay on Matrix. The connector tells the room itself (`ctx.notice`) when the
 * network refuses.
 */
export interface ModerationConnector {
  moderate(portal: Portal, action: ModerationAction): Promise<void>;
}

/** A failure on the remote side. `retryAfterMs` set means "retry later"; otherwise the core gives up. */
export class RemoteSendError extends Error {
  constructor(
    message: string,
    readonly options: {
      retryable: boolean;
      retryAfterMs?: number;
      status?: number;
      /**
       * The network cannot be reached at all (disconnected, reconnecting, its API down): the core keeps
       * the message, in order, and retries without using up attempts for up to
       * `bridge.delivery.max_outage_seconds`. Implies `retryable`.
       */
      unreachable?: boolean;
    } = { retryable: false },
  ) {
    super(message);
    this.name = 'RemoteSendError';
  }
}

export function canResolveAliases(c: Connector): c is Connector & AliasResolvingConnector {
  return typeof (c as Partial<AliasResolvingConnector>).resolveAlias === 'function';
}
export function canPlumb(c: Connector): c is Connector & PlumbingConnector {
  return typeof (c as Partial<PlumbingConnector>).prepareLink === 'function';
}
export function canBackfill(c: Connector): c is Connector & BackfillingConnector {
  return typeof (c as Partial<BackfillingConnector>).backfill === 'function';
}
export function providesCommands(c: Connector): c is Connector & CommandProvidingConnector {
  return typeof (c as Partial<CommandProvidingConnector>).commands === 'function';
}
export function createsDirectChats(c: Connector): c is Connector & DirectChatConnector {
  return typeof (c as Partial<DirectChatConnector>).directChatFor === 'function';
}
export function createsChildChats(c: Connector): c is Connector & ChildChatConnector {
  return typeof (c as Partial<ChildChatConnector>).childChatFor === 'function';
}
export function acceptsGhostInvites(c: Connector): c is Connector & GhostInviteConnector {
  return typeof (c as Partial<GhostInviteConnector>).directChatWithGhost === 'function';
}
export function watchesUnlinks(c: Connector): c is Connector & UnlinkAwareConnector {
  return typeof (c as Partial<UnlinkAwareConnector>).portalUnlinked === 'function';
}
export function canModerate(c: Connector): c is Connector & ModerationConnector {
  return typeof (c as Partial<ModerationConnector>).moderate === 'function';
}
export function canPuppet(c: Connector): c is Connector & PuppetingConnector {
  return typeof (c as Partial<PuppetingConnector>).onMatrixUserJoined === 'function';
}
