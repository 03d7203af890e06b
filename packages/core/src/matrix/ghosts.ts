/**
 * Ghosts: the Matrix users that stand for remote people. Registered lazily (the first time they speak),
 * their display name and avatar kept in sync with the remote profile, and joined to rooms on demand.
 */
import type { RemoteUser } from '../model/events';
import type { GhostRecord, GhostStore } from '../store/store';
import type { Logger } from '../log/logger';
import { MatrixApi, MatrixApiError } from './matrix-api';
import type { MediaBridge } from './media';
import { escapeLocalpart, unescapeLocalpart } from './localpart';

/** How long a ghost's avatar that failed to load is left alone before it is tried again. */
const AVATAR_RETRY_MS = 10 * 60 * 1000;

const alreadyJoined: Promise<void> = Promise.resolve();

export interface GhostNaming {
  /** Localpart prefix of every ghost, e.g. `discord_`. */
  userPrefix: string;
  domain: string;
  /** Display-name template; `{name}` is the remote name (default `{name}`). */
  displayName?: string;
}

export class Ghosts {
  /** Ghosts registered (or found registered) during this process's life. */
  private readonly ready = new Map<string, Promise<string>>();
  /** Users known to be joined, by room (not `room|user` keys: building one per message costs more than the lookup). */
  private readonly joined = new Map<string, Set<string>>();
  private readonly joining = new Map<string, Promise<void>>();
  /** Profiles of ghosts seen this run, so a message costs no store read for its sender. */
  private readonly records = new Map<string, GhostRecord>();
  /** Avatars that failed to load, by cache key, with when to try again (not on every message). */
  private readonly failedAvatars = new Map<string, number>();

  constructor(
    private readonly api: MatrixApi,
    private readonly store: GhostStore,
    private readonly media: MediaBridge,
    private readonly naming: GhostNaming,
    private readonly log: Logger,
  ) {}

  /** The Matrix user id for a remote user id (pure; no network call). */
  userIdFor(remoteUserId: string): string {
    return `@${this.naming.userPrefix}${escapeLocalpart(remoteUserId)}:${this.naming.domain}`;
  }

  /** True when the Matrix user id is in this bridge's ghost namespace. */
  isGhost(userId: string): boolean {
    return userId.startsWith(`@${this.naming.userPrefix}`) && userId.endsWith(`:${this.naming.domain}`);
  }

  /** The remote user id behind a ghost, if `userId` is one. */
  remoteIdOf(userId: string): string | undefined {
    if (!this.isGhost(userId)) return undefined;
    const localpart = userId.slice(
      1 + this.naming.userPrefix.length,
      userId.length - this.naming.domain.length - 1,
    );
    return unescapeLocalpart(localpart);
  }

  /**
   * Make sure the ghost exists and shows the remote user's current name and avatar; returns its user id.
   * Concurrent calls for the same user share one registration.
   */
  ensure(user: RemoteUser): Promise<string> {
    const userId = this.userIdFor(user.id);
    const known = this.records.get(user.id);
    // The common case, a known ghost whose profile has not changed, costs no store read and no request
    // (and, not being an async function, no promise of its own beyond the answer).
    if (known && this.profileIsCurrent(user, known)) return Promise.resolve(userId);
    return this.registerAndSync(user, userId);
  }

  private async registerAndSync(user: RemoteUser, userId: string): Promise<string> {
    let registered = this.ready.get(user.id);
    if (!registered) {
      registered = this.register(user.id, userId);
      this.ready.set(user.id, registered);
      registered.catch(() => this.ready.delete(user.id));
    }
    await registered;
    await this.syncProfile(user, userId);
    return userId;
  }

  /** True when Matrix already shows the user's name and avatar (or the avatar is waiting for a retry). */
  private profileIsCurrent(user: RemoteUser, record: GhostRecord): boolean {
    if (user.displayName && this.displayNameFor(user.displayName) !== record.displayName) return false;
    if (user.avatar === null) return record.avatarKey === undefined;
    if (!user.avatar || user.avatar.key === record.avatarKey) return true;
    const retryAt = this.failedAvatars.get(user.avatar.key);
    return retryAt !== undefined && retryAt > Date.now();
  }

  private displayNameFor(remoteName: string): string {
    const template = this.naming.displayName;
    return template === undefined ? remoteName : template.replace('{name}', remoteName);
  }

  private async register(remoteId: string, userId: string): Promise<string> {
    if (await this.record(remoteId)) return userId;
    await this.api.registerAppserviceUser(userId.slice(1, userId.indexOf(':')));
    await this.save({ remoteId, userId, updatedAt: Date.now() });
    this.log.debug('ghost registered', { user: userId });
    return userId;
  }

  private async syncProfile(user: RemoteUser, userId: string): Promise<void> {
    const stored = await this.record(user.id);
    if (!stored) return;
    const record: GhostRecord = { ...stored };
    let changed = false;
    const displayName = user.displayName && this.displayNameFor(user.displayName);
    if (displayName && displayName !== record.displayName) {
      await this.api.setDisplayName(userId, displayName);
      record.displayName = displayName;
      changed = true;
    }
    if (user.avatar === null && record.avatarKey !== undefined) {
      // An empty avatar_url is how the profile API removes an avatar.
      await this.api.setAvatarUrl(userId, '');
      delete record.avatarKey;
      delete record.avatarMxc;
      changed = true;
    }
    const retryAt = user.avatar ? this.failedAvatars.get(user.avatar.key) : undefined;
    if (
      user.avatar &&
      user.avatar.key !== record.avatarKey &&
      (retryAt === undefined || retryAt <= Date.now())
    ) {
      try {
        const mxc = await this.media.upload(user.avatar);
        await this.api.setAvatarUrl(userId, mxc);
        record.avatarKey = user.avatar.key;
        record.avatarMxc = mxc;
        changed = true;
        this.failedAvatars.delete(user.avatar.key);
      } catch (err) {
        // A missing avatar must not stop the message; a later message tries again, after a pause.
        this.failedAvatars.set(user.avatar.key, Date.now() + AVATAR_RETRY_MS);
        this.log.warn('avatar sync failed', { user: userId, err });
      }
    }
    if (changed) await this.save({ ...record, updatedAt: Date.now() });
  }

  private async record(remoteId: string): Promise<GhostRecord | undefined> {
    const cached = this.records.get(remoteId);
    if (cached) return cached;
    const stored = await this.store.get(remoteId);
    if (stored) this.records.set(remoteId, stored);
    return stored;
  }

  private async save(record: GhostRecord): Promise<void> {
    await this.store.upsert(record);
    this.records.set(record.remoteId, record);
  }

  /** Join the ghost to the room (inviting it with the bot first if the room is not public). */
  ensureJoined(roomId: string, userId: string): Promise<void> {
    if (this.joined.get(roomId)?.has(userId)) return alreadyJoined;
    const key = `${roomId}|${userId}`;
    let job = this.joining.get(key);
    if (!job) {
      job = this.join(roomId, userId)
        .then(() => this.markJoined(roomId, userId))
        .finally(() => this.joining.delete(key));
      this.joining.set(key, job);
    }
    return job;
  }

  private async join(roomId: string, userId: string): Promise<void> {
    try {
      await this.api.join(roomId, userId);
    } catch (err) {
      if (!(err instanceof MatrixApiError) || err.errcode !== 'M_FORBIDDEN') throw err;
      await this.api.invite(roomId, userId);
      await this.api.join(roomId, userId);
    }
  }

  private markJoined(roomId: string, userId: string): void {
    const members = this.joined.get(roomId);
    if (members) members.add(userId);
    else this.joined.set(roomId, new Set([userId]));
  }

  /** Forget that a user is in a room (they left or were kicked). */
  forgetMembership(roomId: string, userId: string): void {
    const members = this.joined.get(roomId);
    if (!members?.delete(userId) || members.size > 0) return;
    this.joined.delete(roomId);
  }

  /** Make the ghost leave a room. */
  async leave(roomId: string, userId: string): Promise<void> {
    this.forgetMembership(roomId, userId);
    await this.api.leave(roomId, userId);
  }
}
