/**
 * The simulator's own state records. They hold what Discord keeps server-side; `serialize.ts`
 * turns them into the API objects (`discord-api-types`) that clients see.
 */
import type { APIEmbed, ChannelType, MessageType } from 'discord-api-types/v10';

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  /** Avatar hash; the bytes are served by the CDN route. */
  avatar: string | null;
  bot: boolean;
}

export interface RoleRecord {
  id: string;
  name: string;
  permissions: bigint;
  color: number;
  position: number;
  mentionable: boolean;
}

export interface MemberRecord {
  userId: string;
  nick: string | null;
  roles: string[];
  /** Per-guild avatar hash. */
  avatar: string | null;
  joinedAt: string;
}

export interface EmojiRecord {
  id: string;
  name: string;
  animated: boolean;
}

export interface StickerRecord {
  id: string;
  name: string;
  /** 1 = PNG, 2 = APNG, 3 = Lottie, 4 = GIF (Discord's sticker format types). */
  formatType: 1 | 2 | 3 | 4;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  icon: string | null;
  /** What the server settings say about the guild (shown on its discovery page). */
  description: string | null;
  roles: Map<string, RoleRecord>;
  members: Map<string, MemberRecord>;
  emojis: Map<string, EmojiRecord>;
  stickers: Map<string, StickerRecord>;
}

export type SimChannelType = ChannelType.GuildText | ChannelType.PublicThread;

export interface ChannelRecord {
  id: string;
  guildId: string;
  type: SimChannelType;
  name: string;
  topic: string | null;
  /** The text channel a thread belongs to. */
  parentId: string | null;
  /** Who started a thread. */
  ownerId: string | null;
  /** A thread's archive state (undefined for text channels). */
  thread?: ThreadState;
  position: number;
  lastMessageId: string | null;
  /** Permission bits taken away from the bot in this channel (see `DiscordSimulator.denyBot`). */
  deniedToBot: bigint;
  /**
   * A private channel: only these roles (and the bot) may view it. Undefined: everyone may. Shown to
   * clients as permission overwrites; the simulator itself does not check users' permissions.
   */
  visibleToRoles?: string[];
}

/** Discord's `thread_metadata`: whether a thread is archived (and locked), and since when. */
export interface ThreadState {
  archived: boolean;
  /** Locked by a moderator: only members with Manage Threads may unarchive it (or post, while archived). */
  locked: boolean;
  /** When the archive state last changed (ISO 8601): at creation, archiving and unarchiving. */
  archiveTimestamp: string;
  /** Minutes without activity after which Discord archives the thread (60, 1440, 4320 or 10080). */
  autoArchiveDuration: 60 | 1440 | 4320 | 10080;
}

export interface AttachmentRecord {
  id: string;
  filename: string;
  contentType: string | undefined;
  description: string | undefined;
  data: Buffer;
}

/** Users who put one emoji on a message, in the order they reacted. */
export interface ReactionRecord {
  emoji: { id: string | null; name: string; animated: boolean };
  userIds: string[];
}

export interface MessageRecord {
  id: string;
  channelId: string;
  guildId: string;
  authorId: string;
  /** Set when a webhook posted it: the per-message name and avatar shown instead of a user. */
  webhook:
    { id: string; username: string; avatarUrl: string | null; applicationId: string | null } | undefined;
  type: MessageType.Default | MessageType.Reply;
  content: string;
  timestamp: string;
  editedTimestamp: string | null;
  attachments: AttachmentRecord[];
  embeds: APIEmbed[];
  stickerIds: string[];
  mentions: string[];
  mentionRoles: string[];
  mentionEveryone: boolean;
  referenceId: string | undefined;
  reactions: ReactionRecord[];
  threadId: string | undefined;
  nonce: string | number | undefined;
}

export interface WebhookRecord {
  id: string;
  token: string;
  guildId: string;
  channelId: string;
  name: string;
  avatar: string | null;
  creatorId: string;
  applicationId: string | null;
}
