/**
 * What the simulated Telegram remembers: users, chats (with members, messages and reactions) and
 * uploaded files. Plain data plus lookups; the rules (who sees what, what a bot may do) live in
 * the method and visibility modules.
 */
import type { Message, MessageEntity, PhotoSize, ReactionType, User } from 'telegraf/types';
import { apiErrors } from './api-error';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/**
 * A message as stored: the common fields plus whichever content fields it carries. Delivered to
 * the bot as telegraf's {@link Message} union.
 */
export type StoredMessage = Message.CommonMessage &
  Partial<Omit<Message.TextMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.PhotoMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.DocumentMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.AnimationMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.VideoMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.VoiceMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.AudioMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.StickerMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.LocationMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.VenueMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.ContactMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.PollMessage, keyof Message.CommonMessage>> &
  Partial<Omit<Message.DiceMessage, keyof Message.CommonMessage>> &
  Partial<Message.MigrateToChatIdMessage & Message.MigrateFromChatIdMessage> & {
    forum_topic_created?: { name: string; icon_color: number };
    forum_topic_edited?: { name?: string };
    forum_topic_closed?: Record<string, never>;
    forum_topic_reopened?: Record<string, never>;
    new_chat_photo?: PhotoSize[];
    delete_chat_photo?: true;
    new_chat_title?: string;
  };

/** A file Telegram holds, reachable by `file_id` and downloadable at `file_path`. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  data: Buffer;
  mimetype: string;
  filename: string;
}

export interface ChatState {
  id: number;
  type: ChatType;
  title?: string;
  /** As set with `setChatDescription`; `getChat` returns it. */
  description?: string;
  username?: string;
  isForum: boolean;
  /** For private chats: the user on the other side. */
  peer?: User;
  members: Map<number, MemberStatus>;
  messages: Map<number, StoredMessage>;
  /** message id -> (user id -> reactions), the bot included. */
  reactions: Map<number, Map<number, ReactionType[]>>;
  /** Forum topics: thread id (the id of the topic's creation message) -> name. */
  topics: Map<number, string>;
  nextMessageId: number;
  /** The chat's current photo, as set with the simulator's `setChatPhoto`. */
  photo?: StoredFile;
  /** False when the bot, as an admin of this forum, lacks the "Manage topics" right. */
  botManagesTopics?: boolean;
  /** False when the bot, as an admin, lacks the "Change group info" right (title, description). */
  botChangesInfo?: boolean;
  /** Set once a group became a supergroup; the old id then answers 400 with migrate_to_chat_id. */
  migratedTo?: number;
}

/** Registry of users, chats and files. */
export class SimState {
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, ChatState>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  /** user id -> file ids of profile photos, newest first. */
  readonly profilePhotos = new Map<number, string[]>();
  private fileCounter = 0;
  private groupCounter = 0;

  constructor(readonly bot: User) {
    this.users.set(bot.id, bot);
  }

  user(id: number): User {
    const user = this.users.get(id);
    if (!user) throw apiErrors.badRequest('user not found');
    return user;
  }

  /** The chat for a Bot API `chat_id` (number or `@username`), answering Telegram's errors. */
  chat(chatId: number | string): ChatState {
    const chat =
      typeof chatId === 'number'
        ? this.chats.get(chatId)
        : [...this.chats.values()].find((c) => c.username && `@${c.username}` === chatId);
    if (!chat) throw apiErrors.chatNotFound();
    if (chat.migratedTo !== undefined) throw apiErrors.migrated(chat.migratedTo);
    return chat;
  }

  /** A fresh chat id in Telegram's ranges: groups are negative, supergroups/channels -100…. */
  newChatId(type: Exclude<ChatType, 'private'>): number {
    this.groupCounter += 1;
    return type === 'group' ? -(4000000000 + this.groupCounter) : -(1000000000000 + this.groupCounter);
  }

  message(chat: ChatState, messageId: number, missing = 'message not found'): StoredMessage {
    const message = chat.messages.get(messageId);
    if (!message) throw apiErrors.badRequest(missing);
    return message;
  }

  /** Store a file and give it Telegram-like ids and a download path under `folder`. */
  addFile(data: Buffer, mimetype: string, filename: string, folder: string): StoredFile {
    this.fileCounter += 1;
    const n = this.fileCounter;
    const extension = filename.includes('.') ? filename.slice(filename.lastIndexOf('.')) : '';
    const file: StoredFile = {
      fileId: `AgAC${n.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 12)}`,
      fileUniqueId: `AQAD${n.toString(36).padStart(6, '0')}`,
      filePath: `${folder}/file_${n}${extension}`,
      data,
      mimetype,
      filename,
    };
    this.files.set(file.fileId, file);
    this.filesByPath.set(file.filePath, file);
    return file;
  }

  file(fileId: string): StoredFile {
    const file = this.files.get(fileId);
    if (!file) throw apiErrors.badRequest('wrong file_id or the file is temporarily unavailable');
    return file;
  }
}

/** True when a message's text starts with a command (for privacy mode). */
export function startsWithCommand(entities: MessageEntity[] | undefined): boolean {
  return (entities ?? []).some((e) => e.type === 'bot_command' && e.offset === 0);
}
