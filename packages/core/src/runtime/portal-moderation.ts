/**
 * What connectors may ask of a portal room as the bot: merge power levels (network roles such as IRC
 * channel operators) and remove a Matrix user the network removed. Power-level changes of one room are
 * applied one after another, each on the state the previous one left, so none is lost.
 */
import { KeyedQueue } from '../delivery/keyed-queue';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Portals } from '../matrix/portals';

export class PortalModeration {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly api: MatrixApi,
    private readonly portals: Portals,
  ) {}

  /** Merge `levels` (0 removes a user's entry) into the room's power levels; false when there is no portal. */
  async setPowerLevels(chatId: string, levels: Record<string, number>): Promise<boolean> {
    const portal = await this.portals.byChat(chatId);
    if (!portal) return false;
    await this.queue.push(portal.roomId, async () => {
      const content = (await this.api.getState(portal.roomId, 'm.room.power_levels')) ?? {};
      const users = { ...((content.users as Record<string, number> | undefined) ?? {}) };
      const merged = mergeLevels(users, levels);
      if (!merged) return;
      await this.api.sendState(portal.roomId, 'm.room.power_levels', '', { ...content, users: merged });
    });
    return true;
  }

  /** Kick a Matrix user from the portal of a chat, as the bot; false when there is no portal. */
  async kick(chatId: string, userId: string, reason: string): Promise<boolean> {
    const portal = await this.portals.byChat(chatId);
    if (!portal) return false;
    await this.api.kick(portal.roomId, userId, reason);
    return true;
  }

  /** Ban a Matrix user from the portal of a chat, as the bot; false when there is no portal. */
  async ban(chatId: string, userId: string, reason: string): Promise<boolean> {
    const portal = await this.portals.byChat(chatId);
    if (!portal) return false;
    await this.api.ban(portal.roomId, userId, reason);
    return true;
  }

  /** Lift a Matrix user's ban from the portal of a chat, as the bot; false when there is no portal. */
  async unban(chatId: string, userId: string, reason: string): Promise<boolean> {
    const portal = await this.portals.byChat(chatId);
    if (!portal) return false;
    await this.api.unban(portal.roomId, userId, reason);
    return true;
  }
}

/** The users map with `levels` applied, or undefined when nothing changes. */
export function mergeLevels(
  users: Record<string, number>,
  levels: Record<string, number>,
): Record<string, number> | undefined {
  const merged = { ...users };
  let changed = false;
  for (const [userId, level] of Object.entries(levels)) {
    if ((merged[userId] ?? 0) === level) continue;
    changed = true;
    if (level === 0) delete merged[userId];
    else merged[userId] = level;
  }
  return changed ? merged : undefined;
}
