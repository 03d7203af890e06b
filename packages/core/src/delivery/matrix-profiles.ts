/**
 * Matrix users' per-room profiles (display name, avatar) as connectors need them to name the sender,
 * learned from membership events in transactions and fetched from room state on a miss; plus the
 * per-room typing sets, to turn `m.typing` snapshots into start/stop changes.
 */
import type { MatrixUser } from '../model/events';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { MatrixApi } from '../matrix/matrix-api';

export class MatrixProfiles {
  private readonly cache = new Map<string, MatrixUser>();
  private readonly typingNow = new Map<string, Set<string>>();

  constructor(private readonly api: MatrixApi) {}

  /** Learn a profile from an `m.room.member` event. */
  observe(ev: RawMatrixEvent): void {
    if (ev.type !== 'm.room.member' || !ev.state_key) return;
    const key = `${ev.room_id}|${ev.state_key}`;
    if (ev.content.membership !== 'join') return void this.cache.delete(key);
    this.cache.set(key, toUser(ev.state_key, ev.content));
  }

  /** The user's profile in the room (falls back to the localpart when there is none). */
  async get(roomId: string, userId: string): Promise<MatrixUser> {
    const key = `${roomId}|${userId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    // The bot is not in every room (a DM a user opened with a ghost): then the global profile.
    const member =
      (await this.api.getState(roomId, 'm.room.member', userId).catch(() => undefined)) ??
      ((await this.api.getProfile(userId).catch(() => undefined)) as Record<string, unknown> | undefined);
    const user = toUser(userId, member ?? {});
    this.cache.set(key, user);
    return user;
  }

  /** Compare a typing snapshot with the last one for the room. */
  typingChanges(roomId: string, userIds: string[]): Array<{ userId: string; typing: boolean }> {
    const before = this.typingNow.get(roomId) ?? new Set<string>();
    const now = new Set(userIds);
    this.typingNow.set(roomId, now);
    const changes: Array<{ userId: string; typing: boolean }> = [];
    for (const u of now) if (!before.has(u)) changes.push({ userId: u, typing: true });
    for (const u of before) if (!now.has(u)) changes.push({ userId: u, typing: false });
    return changes;
  }
}

function toUser(userId: string, content: Record<string, unknown>): MatrixUser {
  const localpart = userId.slice(1, userId.indexOf(':') > 0 ? userId.indexOf(':') : undefined);
  return {
    userId,
    displayName:
      typeof content.displayname === 'string' && content.displayname ? content.displayname : localpart,
    avatarMxc: typeof content.avatar_url === 'string' ? content.avatar_url : undefined,
  };
}
