/**
 * The virtual users of one network: who is connected under which nick, the per-network connection
 * limit, and the idle policy. The bot's connection uses {@link isBridgedNick} to ignore what virtual
 * users say in channels (it came from Matrix), and {@link matrixUserOfNick} to turn `alice[m]: hi`
 * into a pill of the Matrix user.
 */
import type { Logger, MatrixUser } from '@trestle/core';
import type { IrcNetworkConfig } from '../config';
import type { IrcLogins } from '../logins/irc-logins';
import type { IrcInbound } from '../network/inbound';
import type { IrcConnection } from '../network/irc-connection';
import type { LoginRejection } from '../network/services-login';
import type { ConnectGate } from './connect-gate';
import { nickRulesFrom, renderNick, sanitiseNick } from './nick-rules';
import { VirtualUser } from './virtual-user';

/** How long a nick a virtual user left stays known as ours, so its QUIT and late lines are not bridged back. */
const RETIRED_NICK_MS = 30_000;
/** Longest a reconnecting virtual user waits for the bot before trying the server anyway. */
const NETWORK_WAIT_MAX_MS = 60_000;

/** What is kept of a connected virtual user across bridge restarts. */
export interface VirtualUserRecord {
  userId: string;
  displayName: string;
  lastActive: number;
  channels: string[];
}

export interface VirtualUserPoolDeps {
  bot: IrcConnection;
  gate: ConnectGate;
  logins: IrcLogins;
  log: Logger;
  reconnect: { initialMs: number; maxMs: number };
  /** A private message (or notice) addressed to a virtual user's nick. */
  onPrivateMessage(user: VirtualUser, event: Extract<IrcInbound, { kind: 'message' }>): void;
  /** Services refused a user's stored account (the connection goes on without it). */
  onLoginRejected?(user: VirtualUser, rejection: LoginRejection): void;
}

export class VirtualUserPool {
  private readonly users = new Map<string, VirtualUser>();
  private readonly byNick = new Map<string, VirtualUser>();
  private readonly retired = new Map<string, number>();
  private readonly displayNames = new Map<string, string>();
  private networkWaiter: Promise<void> | undefined;

  constructor(
    readonly config: IrcNetworkConfig,
    private readonly deps: VirtualUserPoolDeps,
  ) {}

  get settings(): IrcNetworkConfig['virtualUsers'] {
    return this.config.virtualUsers;
  }

  /** Connections held or being opened. */
  get activeCount(): number {
    let n = 0;
    for (const u of this.users.values()) if (u.active) n++;
    return n;
  }

  get(userId: string): VirtualUser | undefined {
    return this.users.get(userId);
  }

  /**
   * The user's virtual user, marked active; undefined when virtual users are off or the network's
   * connection limit is reached (the caller falls back to relay or refuses, per `overLimit`).
   */
  acquire(user: MatrixUser): VirtualUser | undefined {
    if (!this.settings.enabled) return undefined;
    this.displayNames.set(user.userId, user.displayName);
    let vu = this.users.get(user.userId);
    if (!vu?.active && this.activeCount >= this.settings.maxConnections) return undefined;
    if (!vu) {
      vu = new VirtualUser(user.userId, {
        config: this.config,
        log: this.deps.log,
        gate: this.deps.gate,
        reconnect: this.deps.reconnect,
        networkUp: () => this.networkUp(),
        rules: () => nickRulesFrom(this.deps.bot.client.network.options),
        identity: (userId) => this.identityOf(userId),
        onInbound: (u, event) => {
          if (event.kind === 'message' && !this.deps.bot.isChannel(event.target))
            this.deps.onPrivateMessage(u, event);
        },
        onNickChange: (u, oldNick, newNick) => this.renamed(u, oldNick, newNick),
        onLoginRejected: (u, rejection) => this.deps.onLoginRejected?.(u, rejection),
      });
      this.users.set(user.userId, vu);
    }
    vu.touch();
    return vu;
  }

  /** Part every virtual user from a channel, for good: they do not rejoin it when they reconnect. */
  partAll(channel: string, reason: string): void {
    for (const u of this.users.values()) {
      if (u.wantedChannels.some((c) => c.toLowerCase() === channel.toLowerCase())) u.part(channel, reason);
    }
  }

  /** The Matrix user behind a (folded) nick a virtual user holds now. */
  matrixUserOfNick(foldedNick: string): string | undefined {
    return this.byNick.get(foldedNick)?.userId;
  }

  /** True for nicks of virtual users, now or in the last moments (their lines came from Matrix). */
  isBridgedNick(nick: string): boolean {
    const folded = this.deps.bot.fold(nick);
    if (this.byNick.has(folded)) return true;
    const until = this.retired.get(folded);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.retired.delete(folded);
    return false;
  }

  /** The users holding a connection now, to reconnect them after a bridge restart. */
  records(): VirtualUserRecord[] {
    return [...this.users.values()]
      .filter((u) => u.active)
      .map((u) => ({
        userId: u.userId,
        displayName: this.displayNames.get(u.userId) ?? '',
        lastActive: u.lastActive,
        channels: u.wantedChannels,
      }));
  }

  /**
   * Reconnect users from {@link records} (after a bridge restart), through the connect gate, most
   * recently active first; users idle beyond the policy stay disconnected. Resolves when all tried.
   */
  async restore(records: VirtualUserRecord[], now = Date.now()): Promise<void> {
    const idleMs = this.settings.idleMinutes * 60_000;
    const fresh = records.filter((r) => idleMs === 0 || now - r.lastActive <= idleMs);
    await Promise.all(
      fresh.map(async (record) => {
        const vu = this.acquire({ userId: record.userId, displayName: record.displayName });
        if (!vu) return;
        vu.lastActive = record.lastActive;
        try {
          await Promise.all(record.channels.map((channel) => vu.join(channel)));
          if (record.channels.length === 0) await vu.ensureOnline();
        } catch (err) {
          this.deps.log.warn('virtual user not restored', { network: this.config.name, err });
        }
      }),
    );
  }

  /** Disconnect virtual users idle longer than the policy allows. */
  async disconnectIdle(now = Date.now()): Promise<number> {
    const minutes = this.settings.idleMinutes;
    if (minutes === 0) return 0;
    const idle = [...this.users.values()].filter((u) => u.active && now - u.lastActive > minutes * 60_000);
    await Promise.all(idle.map((u) => u.disconnect('Idle')));
    if (idle.length)
      this.deps.log.info('idle virtual users disconnected', {
        network: this.config.name,
        count: idle.length,
      });
    return idle.length;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.users.values()].map((u) => u.disconnect('Bridge stopping')));
  }

  /**
   * Resolves once the bot is registered, or after {@link NETWORK_WAIT_MAX_MS}. After an ircd
   * restart or a netsplit, the users dropped with it then reach the connect gate together, which
   * lets them back most recently active first; without this, those whose turn came while the
   * server was still down failed and fell behind into backoff — the most active first.
   */
  private networkUp(): Promise<void> {
    const bot = this.deps.bot;
    if (bot.online) return Promise.resolve();
    this.networkWaiter ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        bot.client.off('registered', done);
        this.networkWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, NETWORK_WAIT_MAX_MS);
      timer.unref();
      bot.client.on('registered', done);
    });
    return this.networkWaiter;
  }

  private async identityOf(userId: string) {
    const rules = nickRulesFrom(this.deps.bot.client.network.options);
    const { nick: preferred, account: sasl } = await this.deps.logins.forConnection(userId, this.config.name);
    const nick = preferred
      ? sanitiseNick(preferred, rules)
      : renderNick(this.settings.nickTemplate, { userId, displayName: this.displayNames.get(userId) }, rules);
    return { nick, ...(sasl && { sasl }) };
  }

  private renamed(user: VirtualUser, oldNick: string | undefined, newNick: string | undefined): void {
    if (oldNick) {
      const folded = this.deps.bot.fold(oldNick);
      this.byNick.delete(folded);
      this.retired.set(folded, Date.now() + RETIRED_NICK_MS);
    }
    if (newNick) {
      const folded = this.deps.bot.fold(newNick);
      this.retired.delete(folded);
      this.byNick.set(folded, user);
    }
  }
}
