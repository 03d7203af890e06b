/**
 * Row types of the store's tables, as Kysely sees them. Types are the portable subset both engines share:
 * text, integers (timestamps are milliseconds since the epoch in `bigint` columns), booleans as 0/1 and
 * JSON as text, so every query reads the same on SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface PortalTable {
  room_id: string;
  chat_id: string;
  kind: string;
  plumbed: number;
  name: string | null;
  topic: string | null;
  settings: string;
  created_at: number;
}

export interface GhostTable {
  remote_id: string;
  user_id: string;
  display_name: string | null;
  avatar_key: string | null;
  avatar_mxc: string | null;
  updated_at: number;
}

export interface MessageMapTable {
  event_id: string;
  room_id: string;
  chat_id: string;
  remote_id: string;
  part: number;
  sender: string;
  reaction_key: string | null;
  created_at: number;
}

export interface JournalTable {
  seq: Generated<number>;
  room_id: string;
  event_id: string;
  event: string;
  created_at: number;
}

export interface LoginTable {
  user_id: string;
  remote_id: string;
  data: string;
  updated_at: number;
}

export interface KeyValueTable {
  namespace: string;
  key: string;
  value: string;
  updated_at: number;
}

/** Appservice transactions already journaled, so that a homeserver's retry is recognised. */
export interface JournalTransactionTable {
  txn_id: string;
  created_at: number;
}

export interface StoreDatabase {
  portals: PortalTable;
  ghosts: GhostTable;
  message_map: MessageMapTable;
  journal: JournalTable;
  journal_transactions: JournalTransactionTable;
  logins: LoginTable;
  kv: KeyValueTable;
}
