/**
 * Matrix users' per-room profiles (display name, avatar) as connectors need them to name the sender,
 * learned from membership events in transactions and fetched from room state on a miss; plus the
 * per-room typing sets, to turn `m.typing` snapshots into start/stop changes.
 */
import type { MatrixUser } from '../model/events';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { MatrixApi } from '../matrix/matrix-api';

export class MatrixProfiles {
  /** By room, then user: no key string is built per lookup, which runs for every bridged event. */
  private readonly cache = new Map<string, Map<string, MatrixUser>>();
  private readonly typingNow = new Map<string, Set<string>>();

  constructor(private readonly api: MatrixApi) {}

  /** Learn a profile from an `m.room.member` event. */
  observe(ev: RawMatrixEvent): void {
    if (ev.type !== 'm.room.member' || !ev.state_key) return;
    if (ev.content.membership !== 'join') return void this.cache.get(ev.room_id)?.delete(ev.state_key);
    this.remember(ev.room_id, toUser(ev.state_key, ev.content));
  }

  /** The user's profile in the room when it is known already (most events): no promise. */
  known(roomId: string, userId: string): MatrixUser | undefined {
    return this.cache.get(roomId)?.get(userId);
  }

  /** The user's profile in the room (falls back to the localpart when there is none). */
  async get(roomId: string, userId: string): Promise<MatrixUser> {
    const cached = this.known(roomId, userId);
    if (cached) return cached;
    // The bot is not in every room (a DM a user opened with a ghost): then the global profile.
    const member =
      (await this.api.getState(roomId, 'm.room.member', userId).catch(() => undefined)) ??
      ((await this.api.getProfile(userId).catch(() => undefined)) as Record<string, unknown> | undefined);
    const user = toUser(userId, member ?? {});
    this.remember(roomId, user);
    return user;
  }

  private remember(roomId: string, user: MatrixUser): void {
    let room = this.cache.get(roomId);
    if (!room) this.cache.set(roomId, (room = new Map()));
    room.set(user.userId, user);
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
