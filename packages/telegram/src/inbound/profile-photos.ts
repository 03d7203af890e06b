/**
 * Telegram profile photos as ghost avatars. The Bot API sends no update when someone changes their
 * photo, so each user's current photo is looked up (getUserProfilePhotos) when they first act, and
 * again once `refreshMs` has passed. The file's unique id is the cache key, so the core uploads a
 * photo to Matrix once and sets the avatar only when it changed. A user found with no photo gets
 * `null` (the ghost's avatar is cleared); a failed lookup keeps what was known.
 */
import type { Logger, RemoteMedia } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { FileFetcher } from './message-content';

interface Known {
  avatar: RemoteMedia | null | undefined;
  checkedAt: number;
}

export class ProfilePhotos {
  private readonly known = new Map<string, Known>();
  private readonly looking = new Map<string, Promise<RemoteMedia | null | undefined>>();

  constructor(
    private readonly telegram: Telegram,
    private readonly fetchFile: FileFetcher,
    private readonly log: Logger,
    private readonly refreshMs = 6 * 60 * 60 * 1000,
  ) {}

  /**
   * The user's current profile photo (largest size); `null` when they have none (or hide it from the bot);
   * undefined when it is not known (the lookup failed and none was known before).
   */
  avatarFor(userId: string): Promise<RemoteMedia | null | undefined> {
    const known = this.known.get(userId);
    if (known && Date.now() - known.checkedAt < this.refreshMs) return Promise.resolve(known.avatar);
    let pending = this.looking.get(userId);
    if (!pending) {
      pending = this.lookUp(userId).finally(() => this.looking.delete(userId));
      this.looking.set(userId, pending);
    }
    return pending;
  }

  private async lookUp(userId: string): Promise<RemoteMedia | null | undefined> {
    let avatar: RemoteMedia | null | undefined;
    try {
      const { photos } = await this.telegram.getUserProfilePhotos(Number(userId), 0, 1);
      const sizes = photos[0];
      const largest = sizes?.[sizes.length - 1];
      avatar = largest
        ? {
            key: `telegram:avatar:${largest.file_unique_id}`,
            mimetype: 'image/jpeg',
            fetch: () => this.fetchFile(largest.file_id),
          }
        : null;
    } catch (error) {
      // No avatar is better than a lost message; the next lookup after refreshMs tries again.
      this.log.debug('telegram profile photo lookup failed', { user: userId, err: error });
      avatar = this.known.get(userId)?.avatar;
    }
    this.known.set(userId, { avatar, checkedAt: Date.now() });
    return avatar;
  }
}
