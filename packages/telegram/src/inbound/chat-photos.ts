/**
 * Telegram chat photos (groups, supergroups, channels) as portal room avatars: the current photo when a
 * chat is linked (getChat + getFile), and every later change from the `new_chat_photo` and
 * `delete_chat_photo` service messages.
 * The photo's unique file id is the cache key, so the core uploads each photo to Matrix once.
 */
import type { Logger, RemoteEvent, RemoteMedia } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { Message, PhotoSize, Update } from 'telegraf/types';
import type { FileFetcher } from './message-content';
import { postedMessage } from './posted-message';

/** How long, after a link was allowed, to wait for the core to create the portal before giving up. */
const portalWaitMs = 60_000;
const portalPollMs = 250;

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

  constructor(private readonly deps: ChatPhotoDeps) {}

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
      if (avatar) await this.deps.emit({ kind: 'chat-info', chatId, avatar });
    };
    this.later(attempt);
  }

  /**
   * The room avatar change a `new_chat_photo` (set it) or `delete_chat_photo` (clear it) service message in
   * this update asks for, if any.
   */
  changeEvent(update: Update): RemoteEvent | undefined {
    const message = postedMessage(update);
    if (!message) return undefined;
    const chatId = String(message.chat.id);
    if ((message as Partial<Message.DeleteChatPhotoMessage>).delete_chat_photo) {
      return { kind: 'chat-info', chatId, avatar: null };
    }
    const sizes = (message as Partial<Message.NewChatPhotoMessage>).new_chat_photo;
    const largest = sizes?.[sizes.length - 1];
    return largest ? { kind: 'chat-info', chatId, avatar: this.media(largest) } : undefined;
  }

  /** The chat's current photo (the big size), or undefined when it has none. */
  async currentPhoto(chatId: string): Promise<RemoteMedia | undefined> {
    const chat = await this.deps.telegram.getChat(chatId);
    const photo = 'photo' in chat ? chat.photo : undefined;
    if (!photo) return undefined;
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
