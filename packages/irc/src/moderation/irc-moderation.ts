/**
 * Moderation across the bridge, both ways.
 * Matrix -> IRC: a kick of an IRC user's ghost becomes a KICK; a ban becomes `+b` on the user's host
 * mask and a KICK; an unban removes that mask; a Matrix user raised to the operator power level gets
 * `+o` (and `-o` when lowered). All of it needs the bot to be channel operator; when it is not, the
 * room is told why nothing happened on IRC.
 * IRC -> Matrix: a KICK of a Matrix user's virtual user removes that Matrix user from the portal.
 */
import type { BridgeContext, ModerationAction, Portal } from '@trestle/core';
import { operatorLevel } from '../channel-modes/power-levels';
import { nickOfGhostId } from '../ids';
import type { IrcInbound } from '../network/inbound';
import type { NetworkRuntime } from '../network-runtime';

/** How long a KICK the bridge sent is awaited, so its echo is not bridged back as a second kick. */
const OWN_KICK_MS = 30_000;
const KV_NAMESPACE = 'irc';

export class IrcModeration {
  private readonly ownKicks = new Map<string, number>();

  constructor(private readonly ctx: () => BridgeContext) {}

  /** Mirror a Matrix moderation action in a portal's channel. */
  async moderate(
    runtime: NetworkRuntime,
    portal: Portal,
    channel: string,
    action: ModerationAction,
  ): Promise<void> {
    if (action.kind === 'power-levels') return this.mirrorOperators(runtime, portal, channel, action.changed);
    const { bot } = runtime;
    const folded = action.remoteUserId.startsWith(`${bot.config.name}.`)
      ? nickOfGhostId(action.remoteUserId)
      : undefined;
    if (!folded) return;
    const nick = bot.roster.get(channel)?.members.get(folded) ?? folded;
    const verb = action.kind === 'unban' ? 'unbanned' : action.kind === 'ban' ? 'banned' : 'kicked';
    if (!runtime.modes.canModerate(channel, bot.nick)) {
      await this.ctx().notice(
        portal.roomId,
        `⚠️ ${nick} was not ${verb} on IRC: the bridge bot (${bot.nick}) is not a channel operator in ${channel}.`,
      );
      return;
    }
    const key = `${bot.config.name}|${bot.fold(channel)}|${folded}`;
    const reason = `${action.sender} on Matrix${action.reason ? `: ${action.reason}` : ''}`;
    // Ban masks the bridge set are stored, so an unban (even after a restart) lifts the same one.
    const { kv } = this.ctx();
    const maskKey = `ban-masks/${key}`;
    if (action.kind === 'unban') {
      const mask = (await kv.get<string>(KV_NAMESPACE, maskKey)) ?? `${nick}!*@*`;
      await kv.delete(KV_NAMESPACE, maskKey);
      bot.client.raw('MODE', channel, '-b', mask);
      return;
    }
    if (action.kind === 'ban') {
      const mask = await this.maskOf(runtime, nick);
      await kv.set(KV_NAMESPACE, maskKey, mask);
      bot.client.raw('MODE', channel, '+b', mask);
    }
    if (bot.roster.get(channel)?.members.has(folded)) {
      this.ownKicks.set(key, Date.now() + OWN_KICK_MS);
      bot.client.raw('KICK', channel, nick, reason);
    }
  }

  /**
   * Handle an IRC KICK before it is bridged; true when it needs nothing more (the echo of a kick the
   * bridge sent, or a kick of a virtual user, which removes the Matrix user from the portal instead).
   */
  onIrcKick(runtime: NetworkRuntime, event: Extract<IrcInbound, { kind: 'kick' }>, chatId: string): boolean {
    const { bot, pool } = runtime;
    const key = `${bot.config.name}|${bot.fold(event.channel)}|${bot.fold(event.kicked)}`;
    const until = this.ownKicks.get(key);
    if (until !== undefined) {
      this.ownKicks.delete(key);
      if (until > Date.now()) return true;
    }
    const userId = pool.matrixUserOfNick(bot.fold(event.kicked));
    if (!userId) return false;
    // The connection must not rejoin the channel it was kicked from when it reconnects.
    pool.get(userId)?.part(event.channel);
    const reason = `Kicked on IRC by ${event.nick}${event.reason ? `: ${event.reason}` : ''}`;
    void this.ctx()
      .kickFromPortal?.(chatId, userId, reason)
      .catch(() =>
        this.ctx().log.warn('kicked virtual user could not be removed from the portal', { chat: chatId }),
      );
    return true;
  }

  private async mirrorOperators(
    runtime: NetworkRuntime,
    portal: Portal,
    channel: string,
    changed: Record<string, number>,
  ): Promise<void> {
    const { bot, pool, modes } = runtime;
    if (!bot.config.opsFromMatrix) return;
    const opLevel = operatorLevel(bot.config.modePowerLevels);
    const ctx = this.ctx();
    for (const [userId, level] of Object.entries(changed)) {
      if (ctx.isGhost(userId)) continue;
      const nick = pool.get(userId)?.nick;
      if (!nick || !bot.roster.get(channel)?.members.has(bot.fold(nick))) continue;
      const isOp = modes.modesOf(channel, nick).has('o');
      const change = level >= opLevel && !isOp ? '+o' : level < opLevel && isOp ? '-o' : undefined;
      if (!change) continue;
      if (!modes.canModerate(channel, bot.nick)) {
        await ctx.notice(
          portal.roomId,
          `⚠️ ${nick} did not get ${change} on IRC: the bridge bot (${bot.nick}) is not a channel operator in ${channel}.`,
        );
        continue;
      }
      bot.client.raw('MODE', channel, change, nick);
    }
  }

  /**
   * `*!*@host` from WHOIS (bans survive nick changes); `nick!*@*` when the server does not say, or when
   * the user shares the bridge's own host (a host ban would shut out every Matrix user's nick too).
   */
  private async maskOf(runtime: NetworkRuntime, nick: string): Promise<string> {
    const { bot } = runtime;
    const [target, self] = await Promise.all([
      bot.whois(nick).catch(() => undefined),
      bot.whois(bot.nick).catch(() => undefined),
    ]);
    const host = target?.error ? undefined : target?.hostname;
    return host && host !== self?.hostname ? `*!*@${host}` : `${nick}!*@*`;
  }
}
