/**
 * The neutral event model: what connectors emit toward Matrix ({@link RemoteEvent}) and what the
 * core hands connectors from Matrix ({@link MatrixSideEvent}). Nothing here is specific to a network.
 */
import type { RichText } from '../format/ir';

/** A person (or bot) on the remote network. */
export interface RemoteUser {
  /** Stable id on the network (Discord snowflake, Telegram user id, IRC `network/nick`). */
  id: string;
  displayName?: string;
  /**
   * Where the core can fetch the avatar (http(s) URL or a connector-specific `fetch`). `null` says the user
   * removed their avatar (the ghost's is cleared); leaving it out means "not known", which changes nothing.
   */
  avatar?: RemoteMedia | null;
  isBot?: boolean;
}

/** Media held by the remote network; the core uploads it to Matrix lazily. */
export interface RemoteMedia {
  /** A stable key for caching (e.g. the URL or a network file id); the same key is uploaded once. */
  key: string;
  fetch(): Promise<Buffer>;
  mimetype?: string;
}

/** Media held by Matrix, handed to a connector; `fetch` downloads it through the authenticated media API. */
export interface MatrixMedia {
  mxc: string;
  fetch(): Promise<Buffer>;
}

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'file' | 'sticker';

/** The body of a message, from either side. */
export type MessageContent =
  | { type: 'text'; msgtype: 'text' | 'emote' | 'notice'; body: RichText }
  | {
      type: 'media';
      kind: MediaKind;
      /** File name as the sender gave it. */
      name: string;
      mimetype?: string;
      size?: number;
      width?: number;
      height?: number;
      durationMs?: number;
      caption?: RichText;
      source: RemoteMedia | MatrixMedia;
    }
  | { type: 'location'; latitude: number; longitude: number; description?: string };

/** Remote -> Matrix events. Every event names the remote chat it happened in. */
export type RemoteEvent =
  | {
      kind: 'message';
      chatId: string;
      /** Remote message id, unique within the chat. Together with the part index it is the idempotency key. */
      id: string;
      sender: RemoteUser;
      /** One message on the network may need several Matrix events (e.g. text + attachments). */
      parts: MessageContent[];
      /** Remote id of the message this one replies to. */
      replyTo?: string;
      /** Remote id of the thread root. */
      threadRoot?: string;
      /** Milliseconds since epoch, as the network stamped it (used for timestamp massaging). */
      timestamp?: number;
    }
  | {
      kind: 'edit';
      chatId: string;
      id: string;
      targetId: string;
      sender: RemoteUser;
      content: MessageContent;
      timestamp?: number;
    }
  | { kind: 'redaction'; chatId: string; targetId: string; sender: RemoteUser; reason?: string }
  | {
      kind: 'reaction';
      chatId: string;
      targetId: string;
      sender: RemoteUser;
      key: string;
      emojiUrl?: RemoteMedia;
    }
  | { kind: 'reaction-removed'; chatId: string; targetId: string; sender: RemoteUser; key: string }
  | { kind: 'typing'; chatId: string; sender: RemoteUser; typing: boolean }
  | {
      kind: 'membership';
      chatId: string;
      user: RemoteUser;
      membership: 'join' | 'leave' | 'kick' | 'ban';
      by?: RemoteUser;
      reason?: string;
    }
  /** Fields left out are unchanged; `avatar: null` says the chat's photo was removed (the room's is cleared). */
  | { kind: 'chat-info'; chatId: string; name?: string; topic?: string; avatar?: RemoteMedia | null }
  /** The remote chat got a new id (Telegram group -> supergroup); the portal follows it. */
  | { kind: 'chat-migrated'; chatId: string; newChatId: string }
  | { kind: 'profile'; user: RemoteUser };

/** A Matrix user as the connector sees them. */
export interface MatrixUser {
  userId: string;
  displayName: string;
  avatarMxc?: string;
}

/** A message already bridged: its id on the remote network (and part, when one Matrix event became several). */
export interface RemoteRef {
  id: string;
  part?: number;
}

/** Matrix -> remote events, with relations already resolved to remote ids through the message map. */
export type MatrixSideEvent =
  | {
      kind: 'message';
      eventId: string;
      sender: MatrixUser;
      content: MessageContent;
      replyTo?: RemoteRef;
      threadRoot?: RemoteRef;
    }
  | { kind: 'edit'; eventId: string; sender: MatrixUser; target: RemoteRef[]; content: MessageContent }
  | { kind: 'redaction'; eventId: string; sender: MatrixUser; target: RemoteRef[]; reason?: string }
  | { kind: 'reaction'; eventId: string; sender: MatrixUser; target: RemoteRef; key: string }
  | { kind: 'reaction-removed'; eventId: string; sender: MatrixUser; target: RemoteRef; key: string }
  | { kind: 'typing'; sender: MatrixUser; typing: boolean }
  | {
      kind: 'membership';
      sender: MatrixUser;
      membership: 'join' | 'leave' | 'kick' | 'ban';
      target: string;
      reason?: string;
    }
  | { kind: 'topic'; sender: MatrixUser; topic: string }
  | { kind: 'name'; sender: MatrixUser; name: string };
