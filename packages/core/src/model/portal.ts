/** A Matrix room linked to one remote chat. */
export interface Portal {
  roomId: string;
  /** Remote chat id (Discord channel id, Telegram chat id, IRC `network/#channel`). */
  chatId: string;
  kind: 'group' | 'dm' | 'channel';
  /** True when an existing Matrix room was linked, rather than created by the bridge. */
  plumbed: boolean;
  name?: string;
  topic?: string;
  /** Connector-owned settings for this link (JSON). */
  settings: Record<string, unknown>;
  createdAt: number;
}
