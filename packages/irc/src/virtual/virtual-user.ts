/**
 * One Matrix user's own IRC connection on one network ("virtual user"). It connects on demand
 * through the global {@link ConnectGate}, joins the channels of the portals the user is in, speaks
 * under the user's own nick, and reconnects with jittered backoff when the server drops it — but not
 * after the user quit or the idle policy disconnected it (the next message connects it again).
 */
import type { Logger } from '@trestle/core';
import type { IrcNetworkConfig } from '../config';
import type { IrcInbound } from '../network/inbound';
import { IrcConnection } from '../network/irc-connection';
import type { LoginRejection } from '../network/services-login';
import { ConnectGate, reconnectDelay } from './connect-gate';
import { nickCandidate, type NickRules } from './nick-rules';

export interface VirtualUserDeps {
  config: IrcNetworkConfig;
  log: Logger;
  gate: ConnectGate;
  reconnect: { initialMs: number; maxMs: number };
  /**
   * Resolves when the network looks reachable (its bot is connected), or after a bounded wait, so
   * users dropped with the server do not spend their attempts while it is down.
   */
  networkUp(): Promise<void>;
  /** The server's nick rules (from the bot's ISUPPORT). */
  rules(): NickRules;
  /** The nick this user wants (their `nick` command, else the template) and their services account. */
  identity(userId: string): Promise<{ nick: string; sasl?: { account: string; password: string } }>;
  onInbound(user: VirtualUser, event: IrcInbound): void;
  onNickChange(user: VirtualUser, oldNick: string | undefined, newNick: string | undefined): void;
  /** Services refused the user's stored account (the connection goes on without it). */
  onLoginRejected(user: VirtualUser, rejection: LoginRejection): void;
}

export class VirtualUser {
  /** When the Matrix user last did something bridged (ms); most recent reconnect first. */
  lastActive = Date.now();
  private connection: IrcConnection | undefined;
  private connecting: Promise<IrcConnection> | undefined;
  private readonly channels = new Map<string, string>();
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private currentNick: string | undefined;

  constructor(
    readonly userId: string,
    private readonly deps: VirtualUserDeps,
  ) {}

  get nick(): string | undefined {
    return this.currentNick;
  }

  /** Holding (or opening) a connection: counts against the network's limit. */
  get active(): boolean {
    return (
      this.connection !== undefined || this.connecting !== undefined || this.reconnectTimer !== undefined
    );
  }

  get online(): boolean {
    return this.connection?.online ?? false;
  }

  /** Channels (as spelled) the user should be in: joined now, or rejoined on the next connection. */
  get wantedChannels(): string[] {
    return [...this.channels.values()];
  }

  /** Channels (as spelled) the user is in on IRC. */
  get joinedChannels(): string[] {
    return this.connection?.channels ?? [];
  }

  touch(): void {
    this.lastActive = Date.now();
  }

  /** The live connection, connecting first if needed (waits for the connect gate). */
  async ensureOnline(): Promise<IrcConnection> {
    if (this.connection?.online) return this.connection;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async join(channel: string): Promise<void> {
    this.channels.set(channel.toLowerCase(), channel);
    const connection = await this.ensureOnline();
    await connection.join(channel);
  }

  /**
   * Join without waiting for the connection (a Matrix user joined the portal): the room's other
   * events need not wait for this user's turn at the connect gate. Failures are logged; the
   * channel stays wanted and is joined on the next connection.
   */
  joinInBackground(channel: string): void {
    this.join(channel).catch((err: Error) =>
      this.deps.log.warn('virtual user could not join', { network: this.deps.config.name, channel, err }),
    );
  }

  part(channel: string, reason?: string): void {
    this.channels.delete(channel.toLowerCase());
    this.connection?.part(channel, reason);
  }

  /** Disconnect and stay disconnected until the user is active again. */
  async disconnect(reason: string): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    this.setNick(undefined);
    await connection?.stop(reason);
  }

  private async open(): Promise<IrcConnection> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    await this.deps.networkUp();
    await this.deps.gate.wait(this.lastActive);
    const { nick, sasl } = await this.deps.identity(this.userId);
    const rules = this.deps.rules();
    const localpart = this.userId.replace(/^@/, '').split(':')[0] ?? 'matrix';
    const connection =
      this.connection ??
      new IrcConnection(this.deps.config, this.deps.log, (event) => this.deps.onInbound(this, event), {
        nick: (attempt) => nickCandidate(nick, attempt, rules),
        username:
          localpart
            .toLowerCase()
            .replace(/[^a-z0-9]/g, '')
            .slice(0, 10) || 'matrix',
        realname: this.userId,
        ...(sasl && { sasl, onLoginRejected: (rejection) => this.deps.onLoginRejected(this, rejection) }),
        channels: [...this.channels.values()].map((channel) => ({ channel })),
        trackMembers: false,
        autoReconnect: false,
      });
    if (!this.connection) this.watch(connection);
    this.connection = connection;
    try {
      await connection.start();
    } catch (err) {
      this.scheduleReconnect();
      throw err;
    }
    this.reconnectAttempt = 0;
    return connection;
  }

  private watch(connection: IrcConnection): void {
    const client = connection.client;
    client.on('registered', () => this.setNick(connection.nick));
    client.on('nick', (e: { nick: string; new_nick: string }) => {
      if (connection.fold(e.nick) === connection.fold(this.currentNick ?? '')) this.setNick(e.new_nick);
    });
    client.on('close', () => {
      this.setNick(undefined);
      if (!connection.quitting && this.connection === connection) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || !this.connection) return;
    const wait = reconnectDelay(
      this.reconnectAttempt++,
      this.deps.reconnect.initialMs,
      this.deps.reconnect.maxMs,
    );
    this.deps.log.info('virtual user disconnected; reconnecting', { network: this.deps.config.name, wait });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ensureOnline().catch((err: Error) =>
        this.deps.log.warn('virtual user reconnect failed', { network: this.deps.config.name, err }),
      );
    }, wait);
    this.reconnectTimer.unref();
  }

  private setNick(nick: string | undefined): void {
    if (nick === this.currentNick) return;
    const old = this.currentNick;
    this.currentNick = nick;
    this.deps.onNickChange(this, old, nick);
  }
}
