/**
 * Discord's extra limit on editing a channel's name or topic: 2 changes of each per channel per
 * 10 minutes, on top of the route's ordinary bucket. Discord reports it as a 429 whose bucket
 * headers still show room (discord.js calls this a "sublimit"), with the wait in `retry_after`.
 * Always on in the simulator, as on Discord; tests may shorten the window.
 */

export interface ChannelEditPolicy {
  /** Changes of a channel's name (and, separately, of its topic) allowed per window (Discord: 2). */
  edits: number;
  windowMs: number;
}

export const DISCORD_CHANNEL_EDIT_LIMIT: ChannelEditPolicy = { edits: 2, windowMs: 600_000 };

/** Which limited property a PATCH changes. */
export type ChannelEditField = 'name' | 'topic';

export class ChannelEditLimits {
  /** `<channel id> <field>` -> times of the accepted changes still inside the window. */
  private readonly recent = new Map<string, number[]>();

  constructor(public policy: ChannelEditPolicy = DISCORD_CHANNEL_EDIT_LIMIT) {}

  /**
   * Count a change of `fields` of a channel, all or nothing. Returns the milliseconds to wait when
   * one of them is over its budget (nothing is counted then), or undefined when the change may go.
   */
  take(channelId: string, fields: ChannelEditField[], now = Date.now()): number | undefined {
    const { edits, windowMs } = this.policy;
    const logs = fields.map((field) => {
      const key = `${channelId} ${field}`;
      const log = (this.recent.get(key) ?? []).filter((at) => now - at < windowMs);
      this.recent.set(key, log);
      return log;
    });
    const waits = logs
      .filter((log) => log.length >= edits)
      .map((log) => log[log.length - edits]! + windowMs - now);
    if (waits.length > 0) return Math.max(...waits);
    for (const log of logs) log.push(now);
    return undefined;
  }
}
