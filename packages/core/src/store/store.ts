/**
 * The store contract. One implementation (Kysely queries, one set of migrations) runs on two
 * engines: SQLite through better-sqlite3 (embedded default) and PostgreSQL through pg.
 */
import type { Portal } from '../model/portal';

/** A remote user's Matrix puppet and the profile last written to Matrix. */
export interface GhostRecord {
  remoteId: string;
  userId: string;
  displayName?: string;
  /** Cache key of the avatar last uploaded (see RemoteMedia.key). */
  avatarKey?: string;
  avatarMxc?: string;
  /** Rooms the ghost is known to have joined are not stored here; ghosts are registered lazily. */
  updatedAt: number;
}

/** One row of the message map: a Matrix event and the remote message (part) it corresponds to. */
export interface MessageMapping {
  roomId: string;
  eventId: string;
  chatId: string;
  remoteId: string;
  /** Index when one remote message became several Matrix events, or the reverse. */
  part: number;
  /** Matrix user id of the sender (ghost or real user). */
  sender: string;
  /** Set for reactions: the key (emoji) and the message reacted to. */
  reactionKey?: string;
  createdAt: number;
}

/** A Matrix event taken from an appservice transaction and kept until it is handled. */
export interface JournalEntry {
  seq: number;
  roomId: string;
  eventId: string;
  event: Record<string, unknown>;
}

/** A Matrix user's identity on the remote network, where the network allows logging in. */
export interface LoginRecord {
  userId: string;
  remoteId: string;
  /** Connector-owned credentials/state (JSON); connectors should encrypt secrets before storing. */
  data: Record<string, unknown>;
}

export interface PortalStore {
  byRoom(roomId: string): Promise<Portal | undefined>;
  byChat(chatId: string): Promise<Portal | undefined>;
  /** Insert or replace the portal for its room (and chat). */
  upsert(portal: Portal): Promise<void>;
  remove(roomId: string): Promise<void>;
  list(): Promise<Portal[]>;
  count(): Promise<number>;
}

export interface GhostStore {
  get(remoteId: string): Promise<GhostRecord | undefined>;
  byUserId(userId: string): Promise<GhostRecord | undefined>;
  upsert(ghost: GhostRecord): Promise<void>;
  count(): Promise<number>;
}

export interface MessageStore {
  add(mappings: MessageMapping[]): Promise<void>;
  /** The mapping for a Matrix event (its first part), if bridged. */
  byEvent(eventId: string): Promise<MessageMapping | undefined>;
  /** Every remote part a Matrix event became (a long message split on the network), by part. */
  partsOfEvent(eventId: string): Promise<MessageMapping[]>;
  /** All Matrix events (parts) for a remote message, ordered by part. */
  byRemote(chatId: string, remoteId: string): Promise<MessageMapping[]>;
  /** The reaction event a sender put on a remote message with a key. */
  reaction(
    chatId: string,
    targetRemoteId: string,
    sender: string,
    key: string,
  ): Promise<MessageMapping | undefined>;
  removeEvent(eventId: string): Promise<void>;
}

export interface JournalStore {
  /**
   * Append the events of one appservice transaction atomically. With `transactionId`, a transaction already
   * journaled (the homeserver's retry of one whose answer it did not get) adds nothing; an event listed
   * twice in one call is journaled once. Resolves with the entries actually added, in journal order, so the
   * caller can work on them without reading them back.
   */
  append(
    entries: Array<{ roomId: string; eventId: string; event: Record<string, unknown> }>,
    transactionId?: string,
  ): Promise<JournalEntry[]>;
  /** Entries not yet marked done, oldest first. */
  pending(limit?: number): Promise<JournalEntry[]>;
  /** The entry was handled (bridged, refused, or given up on with a notice): it leaves the journal. */
  markDone(seq: number): Promise<void>;
}

export interface LoginStore {
  get(userId: string): Promise<LoginRecord | undefined>;
  put(login: LoginRecord): Promise<void>;
  remove(userId: string): Promise<void>;
}

/** Namespaced key/value storage for connector state (e.g. cursors: Telegram update offset). */
export interface KeyValueStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly portals: PortalStore;
  readonly ghosts: GhostStore;
  readonly messages: MessageStore;
  readonly journal: JournalStore;
  readonly logins: LoginStore;
  readonly kv: KeyValueStore;
  close(): Promise<void>;
}
