/**
 * Telegram profile photos as ghost avatars. The Bot API sends no update when someone changes their
 * photo, so each user's current photo is looked up (getUserProfilePhotos) when they first act, and
 * again once `refreshMs` has passed (see {@link PhotoCache}). The file's unique id is the cache key, so
 * the core uploads a photo to Matrix once and sets the avatar only when it changed. A user found with no
 * photo gets `null` (the ghost's avatar is cleared); a failed lookup keeps what was known.
 */
import type { Logger, RemoteMedia } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { FileFetcher } from './message-content';
import { PhotoCache, type KnownPhoto } from './photo-cache';

export class ProfilePhotos {
  private readonly cache: PhotoCache;

  constructor(
    private readonly telegram: Telegram,
    private readonly fetchFile: FileFetcher,
    log: Logger,
    refreshMs = 6 * 60 * 60 * 1000,
  ) {
    this.cache = new PhotoCache(
      (userId) => this.lookUp(userId),
      (userId, error) => log.debug('telegram profile photo lookup failed', { user: userId, err: error }),
      refreshMs,
    );
  }

  /**
   * The user's current profile photo (largest size); `null` when they have none (or hide it from the bot);
   * undefined when it is not known (the lookup failed and none was known before).
   */
  avatarFor(userId: string): Promise<KnownPhoto> {
    return this.cache.photoOf(userId);
  }

  private async lookUp(userId: string): Promise<RemoteMedia | null> {
    const { photos } = await this.telegram.getUserProfilePhotos(Number(userId), 0, 1);
    const sizes = photos[0];
    const largest = sizes?.[sizes.length - 1];
    return largest
      ? {
          key: `telegram:avatar:${largest.file_unique_id}`,
          mimetype: 'image/jpeg',
          fetch: () => this.fetchFile(largest.file_id),
        }
      : null;
  }
}
