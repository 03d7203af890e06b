/**
 * Matrix moderation that a connector may mirror on its network: kicks and bans of ghosts, and changes
 * of power levels. Only events by real Matrix users get here (the bridge's own are filtered earlier).
 */
import type { ModerationAction } from '../connector/connector';
import type { RawMatrixEvent } from '../appservice/appservice-server';

export interface ModerationNaming {
  /** The remote user behind a ghost id, undefined for other users. */
  remoteIdOf(userId: string): string | undefined;
}

/** The moderation action an event stands for, or undefined when it is none. */
export function moderationActionOf(
  ev: RawMatrixEvent,
  naming: ModerationNaming,
): ModerationAction | undefined {
  if (ev.type === 'm.room.member' && ev.state_key && ev.state_key !== ev.sender) {
    const remoteUserId = naming.remoteIdOf(ev.state_key);
    if (remoteUserId === undefined) return undefined;
    const membership = ev.content.membership;
    const previous = (ev.unsigned?.prev_content as { membership?: string } | undefined)?.membership;
    const kind =
      membership === 'ban'
        ? 'ban'
        : membership === 'leave' && previous === 'ban'
          ? 'unban'
          : membership === 'leave' && previous === 'join'
            ? 'kick'
            : undefined;
    if (!kind) return undefined;
    const reason = typeof ev.content.reason === 'string' ? ev.content.reason : undefined;
    return { kind, sender: ev.sender, remoteUserId, ...(reason && { reason }) };
  }
  if (ev.type === 'm.room.power_levels' && ev.state_key === '') {
    const changed = changedLevels(
      usersOf(ev.content),
      usersOf(ev.unsigned?.prev_content as Record<string, unknown> | undefined),
    );
    return Object.keys(changed).length ? { kind: 'power-levels', sender: ev.sender, changed } : undefined;
  }
  return undefined;
}

function usersOf(content: Record<string, unknown> | undefined): Record<string, number> {
  const users = content?.users;
  if (!users || typeof users !== 'object') return {};
  return Object.fromEntries(
    Object.entries(users as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}

/** Users whose level differs between two `users` maps (a removed entry counts as 0). */
export function changedLevels(
  now: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const userId of new Set([...Object.keys(now), ...Object.keys(before)])) {
    const level = now[userId] ?? 0;
    if (level !== (before[userId] ?? 0)) changed[userId] = level;
  }
  return changed;
}
