/**
 * Telegram chat photos (groups, supergroups, channels) as portal room avatars, and as the avatar of the
 * ghost that speaks for the chat (channel posts, anonymous admins): the current photo when a chat is
 * linked (getChat + getFile), and every later change from the `new_chat_photo` and `delete_chat_photo`
 * service messages. The photo's unique file id is the cache key, so the core uploads each photo to Matrix
 * once, for the room and the ghost alike.
 */
import type { Logger, RemoteEvent, RemoteMedia } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { Message, PhotoSize, Update } from 'telegraf/types';
import type { FileFetcher } from './message-content';
import { PhotoCache, type KnownPhoto } from './photo-cache';
import { postedMessage } from './posted-message';

/** How long, after a link was allowed, to wait for the core to create the portal before giving up. */
const portalWaitMs = 60_000;
const portalPollMs = 250;
/** How often a speaking chat's photo is looked up again: a chat posting elsewhere sends no photo changes. */
const refreshMs = 6 * 60 * 60 * 1000;

export interface ChatPhotoDeps {
  telegram: Telegram;
  fetchFile: FileFetcher;
  log: Logger;
  /** True once the chat has a portal room. */
  hasPortal(chatId: string): Promise<boolean>;
  emit(event: RemoteEvent): Promise<void>;
}

export class ChatPhotos {
  private readonly waits = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Photos of chats whose ghost speaks (channel posts, anonymous admins). */
  private readonly photos: PhotoCache;

  constructor(private readonly deps: ChatPhotoDeps) {
    this.photos = new PhotoCache(
      (chatId) => this.currentPhoto(chatId),
      (chatId, error) => deps.log.debug('telegram chat photo lookup failed', { chat: chatId, err: error }),
      refreshMs,
    );
  }

  /**
   * A chat was just allowed to be linked: once the core has created its portal, give the room the chat's
   * current photo. Runs in the background; a failure costs only the avatar.
   */
  afterLink(chatId: string): void {
    const deadline = Date.now() + portalWaitMs;
    const attempt = async (): Promise<void> => {
      if (this.stopped) return;
      if (!(await this.deps.hasPortal(chatId))) {
        if (Date.now() < deadline) this.later(attempt);
        return;
      }
      const avatar = await this.currentPhoto(chatId);
      this.photos.remember(chatId, avatar);
      if (avatar) await this.deps.emit({ kind: 'chat-info', chatId, avatar });
    };
    this.later(attempt);
  }

  /**
   * What a `new_chat_photo` (set it) or `delete_chat_photo` (clear it) service message in this update
   * changes: the room avatar, and the avatar of the ghost that speaks for the chat (its `profile`).
   */
  changeEvents(update: Update): RemoteEvent[] {
    const message = postedMessage(update);
    if (!message) return [];
    const chatId = String(message.chat.id);
    const sizes = (message as Partial<Message.NewChatPhotoMessage>).new_chat_photo;
    const largest = sizes?.[sizes.length - 1];
    const deleted = (message as Partial<Message.DeleteChatPhotoMessage>).delete_chat_photo;
    const avatar = deleted ? null : largest && this.media(largest);
    if (avatar === undefined) return [];
    this.photos.remember(chatId, avatar);
    return [
      { kind: 'chat-info', chatId, avatar },
      { kind: 'profile', user: { id: chatId, avatar } },
    ];
  }

  /** The photo of a chat whose ghost is speaking, as its avatar (see {@link PhotoCache}). */
  avatarFor(chatId: string): Promise<KnownPhoto> {
    return this.photos.photoOf(chatId);
  }

  /** The chat's current photo (the big size), or null when it has none. */
  private async currentPhoto(chatId: string): Promise<RemoteMedia | null> {
    const chat = await this.deps.telegram.getChat(chatId);
    const photo = 'photo' in chat ? chat.photo : undefined;
    if (!photo) return null;
    return this.media({ file_id: photo.big_file_id, file_unique_id: photo.big_file_unique_id });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.waits) clearTimeout(timer);
    this.waits.clear();
  }

  private media(size: Pick<PhotoSize, 'file_id' | 'file_unique_id'>): RemoteMedia {
    return {
      key: `telegram:chat-photo:${size.file_unique_id}`,
      mimetype: 'image/jpeg',
      fetch: () => this.deps.fetchFile(size.file_id),
    };
  }

  private later(attempt: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.waits.delete(timer);
      attempt().catch((error: unknown) => {
        this.deps.log.warn('telegram chat photo could not be set as the room avatar', { err: error });
      });
    }, portalPollMs);
    this.waits.add(timer);
  }
}
