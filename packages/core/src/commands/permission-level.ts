import type { PermissionLevel } from './command';

/** Who may do what: keys are `*`, a server name or a user id; values are levels (the `permissions` config). */
export type PermissionMap = Readonly<Record<string, PermissionLevel>>;

const rank: Record<PermissionLevel, number> = { relay: 1, user: 2, admin: 3 };

/**
 * The level a Matrix user has: their own entry beats their server's entry, which beats `*`.
 * Undefined means the user may not use the bridge at all.
 */
export function permissionLevelOf(userId: string, permissions: PermissionMap): PermissionLevel | undefined {
  const own = permissions[userId];
  if (own) return own;
  const server = userId.slice(userId.indexOf(':') + 1).toLowerCase();
  // Server names are DNS names, so their case does not matter.
  const serverEntry = Object.entries(permissions).find(
    ([key]) => !key.startsWith('@') && key.toLowerCase() === server,
  );
  return serverEntry?.[1] ?? permissions['*'];
}

/** True when `level` is at least `required`. */
export function meetsLevel(level: PermissionLevel | undefined, required: PermissionLevel): boolean {
  return level !== undefined && rank[level] >= rank[required];
}
