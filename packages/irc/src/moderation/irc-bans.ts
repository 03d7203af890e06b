/**
 * Bans set on IRC, mirrored onto Matrix users: a `+b` whose mask covers a virtual user's
 * `nick!ident@host` bans that Matrix user from the channel's portal room (and parts their nick, so it
 * does not try to rejoin); a `-b` of the same mask lifts those Matrix bans. Which Matrix users a mask
 * banned is kept in the connector's key/value store, so an IRC unban after a restart still lifts them.
 *
 * No loops: masks the bridge bot sets itself (Matrix bans of IRC users' ghosts) are not looked at, and
 * the core never mirrors a Matrix ban of a Matrix user back to IRC (only bans of ghosts).
 */
import type { BridgeContext, Logger } from '@trestle/core';
import type { NetworkRuntime } from '../network-runtime';
import { banMaskMatches, type Hostmask } from './ban-mask';

const KV_NAMESPACE = 'irc';

interface ModeChange {
  mode: string;
  param?: string;
}

export class IrcBans {
  /** Folded nick -> ident and host, from what the bot saw when the user joined. */
  private readonly hostmasks = new Map<string, Omit<Hostmask, 'nick'>>();

  constructor(
    private readonly runtime: NetworkRuntime,
    private readonly ctx: () => BridgeContext,
    private readonly log: Logger,
  ) {
    this.listen();
  }

  private get fold() {
    return (s: string) => this.runtime.bot.fold(s);
  }

  private listen(): void {
    const c = this.runtime.bot.client;
    c.on('join', (e: { nick: string; ident?: string; hostname?: string }) => this.remember(e.nick, e));
    c.on('userlist', (e: { users: Array<{ nick: string; ident?: string; hostname?: string }> }) => {
      for (const u of e.users) this.remember(u.nick, u);
    });
    c.on('nick', (e: { nick: string; new_nick: string }) => {
      const known = this.hostmasks.get(this.fold(e.nick));
      this.hostmasks.delete(this.fold(e.nick));
      if (known) this.hostmasks.set(this.fold(e.new_nick), known);
    });
    c.on('chghost', (e: { nick: string; ident?: string; hostname?: string }) => this.remember(e.nick, e));
    c.on('mode', (e: { target: string; nick?: string; modes: ModeChange[] }) => {
      if (!e.nick || this.fold(e.nick) === this.fold(this.runtime.bot.nick)) return;
      if (!this.runtime.bot.isChannel(e.target)) return;
      for (const { mode, param } of e.modes) {
        if (mode.slice(1) !== 'b' || !param) continue;
        const work = mode.startsWith('+')
          ? this.banned(e.target, param, e.nick)
          : this.unbanned(e.target, param, e.nick);
        work.catch((err: Error) =>
          this.log.warn('IRC ban not mirrored on Matrix', { channel: e.target, mode, err }),
        );
      }
    });
  }

  private remember(nick: string, e: { ident?: string; hostname?: string }): void {
    if (e.ident && e.hostname) this.hostmasks.set(this.fold(nick), { ident: e.ident, host: e.hostname });
  }

  /** The Matrix users whose virtual users in `channel` the mask covers. */
  private coveredMatrixUsers(channel: string, mask: string): string[] {
    const { bot, pool } = this.runtime;
    const users: string[] = [];
    for (const [folded, nick] of bot.roster.get(channel)?.members ?? []) {
      const userId = pool.matrixUserOfNick(folded);
      const host = this.hostmasks.get(folded);
      if (userId && host && banMaskMatches(mask, { nick, ...host }, this.fold)) users.push(userId);
    }
    return users;
  }

  private async banned(channel: string, mask: string, by: string): Promise<void> {
    const users = this.coveredMatrixUsers(channel, mask);
    if (!users.length) return;
    const key = this.keyOf(channel, mask);
    const already = (await this.ctx().kv.get<string[]>(KV_NAMESPACE, key)) ?? [];
    await this.ctx().kv.set(KV_NAMESPACE, key, [...new Set([...already, ...users])]);
    const chatId = this.runtime.mapper.chatIdFor(channel);
    for (const userId of users) {
      this.runtime.pool.get(userId)?.part(channel);
      await this.ctx().banFromPortal?.(chatId, userId, `Banned on IRC by ${by} (${mask})`);
    }
  }

  private async unbanned(channel: string, mask: string, by: string): Promise<void> {
    const key = this.keyOf(channel, mask);
    const users = await this.ctx().kv.get<string[]>(KV_NAMESPACE, key);
    if (!users?.length) return;
    await this.ctx().kv.delete(KV_NAMESPACE, key);
    const chatId = this.runtime.mapper.chatIdFor(channel);
    for (const userId of users) {
      await this.ctx().unbanFromPortal?.(chatId, userId, `Unbanned on IRC by ${by} (${mask})`);
    }
  }

  private keyOf(channel: string, mask: string): string {
    return `irc-bans/${this.runtime.bot.config.name}/${this.fold(channel)}/${this.fold(mask)}`;
  }
}
