import type { RichText } from '@trestle/core';

/** A file as the remote network holds it. */
export interface RemoteAttachment {
  name: string;
  mimetype?: string;
  data: Buffer;
}

/** How a message is posted on the network: the driver renders `body` in the network's own markup. */
export interface RemotePost {
  /** How the network shows the message (IRC `ACTION`/`NOTICE`; other networks' nearest equivalent). Default `text`. */
  kind?: 'text' | 'emote' | 'notice';
  body: RichText;
  /** Remote id of the message this one replies to. */
  replyTo?: string;
}

/** A message the driver posted, by its remote id. */
export interface RemoteMessageRef {
  id: string;
}

/** A message the bridge delivered to the network, as a network user would see it. */
export interface ObservedRemoteMessage {
  id: string;
  kind: 'text' | 'emote' | 'notice';
  /** Plain text without markup. */
  text: string;
  /** The formatting, parsed from the network's markup into the core IR (absent on plain-text networks). */
  rich?: RichText;
  /** Remote id of the message this one replies to. */
  replyTo?: string;
  attachments: RemoteAttachment[];
  /** How the network names the sender (relayed display name, webhook name, ghost nick). */
  senderName?: string;
}

/** Something the bridge did on the network. */
export type ObservedRemoteEvent =
  | { type: 'message'; message: ObservedRemoteMessage }
  | { type: 'edit'; targetId: string; message: ObservedRemoteMessage }
  | { type: 'delete'; targetId: string }
  | { type: 'reaction'; targetId: string; key: string };

/**
 * The remote half of a conformance test: acts as a person on the network in the bridged chat, and
 * watches what the bridge does there. One per network (IRC through an irc-framework client on the
 * test ergo, Discord and Telegram through their simulators, the loopback network directly).
 *
 * Drivers must never report their own posts as observed events, and {@link expectEvent} must also
 * match events that arrived before it was called. Methods for features the network lacks may be
 * left out; the suite only calls them for declared capabilities.
 */
export interface RemoteDriver {
  /** The remote chat bridged to the test room. */
  readonly chatId: string;
  /** Post a message as the remote test user. */
  post(message: RemotePost): Promise<RemoteMessageRef>;
  /** Post an image as the remote test user. */
  postImage?(image: RemoteAttachment): Promise<RemoteMessageRef>;
  /** Edit one of the remote test user's messages. */
  edit?(messageId: string, message: RemotePost): Promise<void>;
  /** Delete one of the remote test user's messages. */
  delete?(messageId: string): Promise<void>;
  /** React to a message with an emoji. */
  react?(messageId: string, key: string): Promise<void>;
  /**
   * The first event the bridge caused in the chat matching `predicate`, already seen or arriving
   * within `timeoutMs`; rejects with a readable error listing what was seen otherwise.
   */
  expectEvent(
    predicate: (event: ObservedRemoteEvent) => boolean,
    timeoutMs: number,
  ): Promise<ObservedRemoteEvent>;
  /** The Matrix alias of the chat's portal, when the bridge creates portals from aliases. */
  portalAlias?(): string;
}

/** The first message delivered to the network that matches `predicate`. */
export async function expectRemoteMessage(
  driver: RemoteDriver,
  predicate: (message: ObservedRemoteMessage) => boolean,
  timeoutMs: number,
): Promise<ObservedRemoteMessage> {
  const event = await driver.expectEvent((e) => e.type === 'message' && predicate(e.message), timeoutMs);
  return (event as Extract<ObservedRemoteEvent, { type: 'message' }>).message;
}
