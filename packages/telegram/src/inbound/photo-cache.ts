/**
 * The current photos of Telegram users or chats, by id, for ghost avatars. Telegram sends no update when
 * a profile photo changes (nor anything about chats the bot only sees posting elsewhere), so a photo is
 * looked up when first asked for and again once `refreshMs` has passed; a photo learned otherwise (a chat's
 * `new_chat_photo`) is remembered as it is. `null` means "has none" (the ghost's avatar is cleared); a failed
 * lookup keeps what was known, and says nothing (undefined) when nothing was.
 */
import type { RemoteMedia } from '@trestle/core';

/** A photo as the cache holds it: the media, `null` for none, undefined when never found out. */
export type KnownPhoto = RemoteMedia | null | undefined;

interface Known {
  photo: KnownPhoto;
  checkedAt: number;
  /** Set when the photo was remembered rather than looked up (see {@link PhotoCache.remember}). */
  remembered?: true;
}

export class PhotoCache {
  private readonly known = new Map<string, Known>();
  private readonly looking = new Map<string, Promise<KnownPhoto>>();

  constructor(
    /** The id's current photo from Telegram; throws when Telegram could not say. */
    private readonly lookUp: (id: string) => Promise<RemoteMedia | null>,
    private readonly onLookupFailed: (id: string, error: unknown) => void,
    private readonly refreshMs: number,
  ) {}

  /** The id's photo, looked up when unknown or older than `refreshMs`; concurrent callers share a lookup. */
  photoOf(id: string): Promise<KnownPhoto> {
    const known = this.known.get(id);
    if (known && Date.now() - known.checkedAt < this.refreshMs) return Promise.resolve(known.photo);
    let pending = this.looking.get(id);
    if (!pending) {
      pending = this.refresh(id).finally(() => this.looking.delete(id));
      this.looking.set(id, pending);
    }
    return pending;
  }

  /** A photo learned without asking (set or removed just now): known from now on. */
  remember(id: string, photo: RemoteMedia | null): void {
    this.known.set(id, { photo, checkedAt: Date.now(), remembered: true });
  }

  private async refresh(id: string): Promise<KnownPhoto> {
    const before = this.known.get(id);
    let photo: KnownPhoto;
    try {
      photo = await this.lookUp(id);
    } catch (error) {
      // No avatar is better than a lost message; the next lookup after refreshMs tries again.
      this.onLookupFailed(id, error);
      photo = before?.photo;
    }
    const known = this.known.get(id);
    // A photo remembered while this lookup was on its way is newer than what Telegram answered.
    if (known !== before && known?.remembered) return known.photo;
    this.known.set(id, { photo, checkedAt: Date.now() });
    return photo;
  }
}
