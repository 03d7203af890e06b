/**
 * IRC channel operators and voiced users -> power levels of their ghosts in the portal. Follows MODE
 * changes as they happen and the NAMES prefixes whenever the bot (re)joins a channel. Virtual users'
 * modes are not mirrored onto Matrix users: Matrix power is given on Matrix.
 */
import type { BridgeContext } from '@trestle/core';
import type { NetworkRuntime } from '../network-runtime';
import { powerLevelForModes } from './power-levels';

export class PowerLevelSync {
  /**
   * @param schedule runs work in the network's event order (after the joins already emitted)
   */
  constructor(
    private readonly runtime: NetworkRuntime,
    private readonly ctx: () => BridgeContext,
    private readonly schedule: (work: () => Promise<unknown>) => void,
  ) {}

  /** Levels for the privileged members of a channel, by ghost id (for a new portal's ChatInfo). */
  levelsByGhostId(channel: string): Record<string, number> {
    const levels: Record<string, number> = {};
    for (const [nick, modes] of this.runtime.modes.privileged(channel)) {
      if (!this.isRemotePerson(nick)) continue;
      const level = powerLevelForModes(modes, this.runtime.bot.config.modePowerLevels);
      if (level > 0) levels[this.runtime.mapper.user(nick).id] = level;
    }
    return levels;
  }

  /** A member's modes changed. */
  modesChanged(channel: string, nick: string, modes: ReadonlySet<string>): void {
    if (!this.isRemotePerson(nick)) return;
    const level = powerLevelForModes(modes, this.runtime.bot.config.modePowerLevels);
    this.apply(channel, { [this.runtime.mapper.user(nick).id]: level });
  }

  /** The bot (re)joined: the NAMES prefixes give every operator's and voiced user's level. */
  channelJoined(channel: string): void {
    const levels = this.levelsByGhostId(channel);
    if (Object.keys(levels).length) this.apply(channel, levels);
  }

  private apply(channel: string, byGhostId: Record<string, number>): void {
    const ctx = this.ctx();
    if (!ctx.setPowerLevels) return;
    const levels = Object.fromEntries(
      Object.entries(byGhostId).map(([ghostId, level]) => [ctx.ghostUserId(ghostId), level]),
    );
    const chatId = this.runtime.mapper.chatIdFor(channel);
    this.schedule(() =>
      ctx.setPowerLevels!(chatId, levels).catch((err: Error) =>
        ctx.log.warn('power levels not updated', { chat: chatId, err }),
      ),
    );
  }

  private isRemotePerson(nick: string): boolean {
    const { bot, pool } = this.runtime;
    return bot.fold(nick) !== bot.fold(bot.nick) && !pool.isBridgedNick(nick);
  }
}
