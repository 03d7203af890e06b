/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * One connection to an IRC network: the bridge bot's, or a Matrix user's own ("virtual user").
 * It registers (with a server password, taking the next nick candidate when one is in use), logs in
 * to services ({@link ServicesLogin}), joins channels, keeps a roster, reports what happens as
 * {@link IrcInbound}, and sends lines through a flood-controlled queue. Every line it writes has
 * passed {@link neutraliseIrcText}; with IRCv3 echo-message it learns the msgid the server gave each
 * line.
 */
import { randomUUID } from 'node:crypto';
import { Client, Message, type ClientOptions } from 'irc-framework';
import type { Logger } from '@trestle/core';
import type { IrcNetworkConfig } from '../config';
import { isWireSafe, neutraliseIrcText } from '../format';
import { SendQueue } from '../flood/send-queue';
import { TokenBucket } from '../flood/token-bucket';
import { ChannelRoster, type ChannelState } from './channel-state';
import { botIdentity, type ConnectionIdentity } from './connection-identity';
import { EchoTracker } from './echo-tracker';
import { ServicesLogin } from './services-login';
import { leanClient } from './lean-client';
import { isOthersChannelTraffic } from './others-channel-traffic';
import type { IrcInbound } from './inbound';
import { isChannelName } from '../ids';
import { BridgeTransport } from './bridge-transport';
import { transportTrusting } from './tls-transport';

export type OutgoingKind = 'privmsg' | 'action' | 'notice';

/** Failed to connect, join or send; `retryable` says whether trying again later may work. */
export class IrcConnectionError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'IrcConnectionError';
  }
}

const ECHO_TIMEOUT_MS = 3000;
/** A link that stayed up this long was fine: when it drops, reconnecting starts from the shortest wait. */
const STABLE_LINK_MS = 60_000;
/** Reconnect attempts made about a second apart before the waits start doubling. */
const QUICK_RETRIES = 5;
const VALID_TARGET = /^[^\s\0,:\x07][^\s\0,\x07]*$/;

type JoinWaiter = { resolve: (state: ChannelState) => void; reject: (err: Error) => void };

/** Server refusals that mean a line or a join did not happen (irc-framework's `irc error` names). */
const SEND_REFUSALS = new Set(['cannot_send_to_channel', 'cannot_send_to_user', 'no_such_nick']);
const JOIN_REFUSALS = new Set([
  'banned_from_channel',
  'invite_only_channel',
  'bad_channel_key',
  'channel_is_full',
  'too_many_channels',
]);

export class IrcConnection {
  readonly client = new Client();
  readonly roster: ChannelRoster;
  private readonly queue: SendQueue;
  private readonly echoes = new EchoTracker(ECHO_TIMEOUT_MS, localId);
  private readonly joinWaiters = new Map<string, JoinWaiter[]>();
  private readonly topicWaiters = new Map<string, { resolve: () => void; reject: (err: Error) => void }>();
  private registered = false;
  /** Channels are rejoined on every registration after the first. */
  private everRegistered = false;
  private stopping = false;
  /** The wait before the bot's next reconnect attempt (see scheduleReconnect). */
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
  /** When the current link registered (0 while there is none). */
  private registeredAt = 0;
  /** Channels (folded) being rejoined after a reconnect: lines for them wait until we are back in. */
  private readonly rejoining = new Set<string>();
  private nickAttempt = 0;
  private readonly servicesLogin: ServicesLogin;
  private readonly skipOthersChannelTraffic = (line: string): boolean =>
    isOthersChannelTraffic(
      line,
      (nick) => this.isMe(nick),
      (target) => this.isChannel(target),
    );

  constructor(
    readonly config: IrcNetworkConfig,
    private readonly log: Logger,
    private readonly onEvent: (event: IrcInbound) => void,
    readonly identity: ConnectionIdentity = botIdentity(config),
  ) {
    leanClient(this.client);
    this.roster = new ChannelRoster(
      (s) => this.fold(s),
      identity.trackMembers ? undefined : (nick) => this.isMe(nick),
    );
    this.queue = new SendQueue(
      new TokenBucket(config.floodControl.linesPerSecond, config.floodControl.burst),
    );
    this.listen();
    this.servicesLogin = new ServicesLogin(this.client, identity, config.name, log, async () => {
      const reply = await this.whois(this.nick);
      return reply.account;
    });
  }

  get nick(): string {
    return this.client.user.nick;
  }

  /** Lowercase per the server's CASEMAPPING (rfc1459 by default). */
  fold(s: string): string {
    return this.client.caseLower(s);
  }

  get chanTypes(): string[] {
    const types = this.client.network.options.CHANTYPES;
    return Array.isArray(types) ? (types as string[]) : ['#', '&'];
  }

  /** True for a channel name under the server's CHANTYPES. */
  isChannel(target: string): boolean {
    return isChannelName(target, this.chanTypes);
  }

  /** IRCv3 message-tags: client tags such as `+draft/reply` reach other clients. */
  get hasMessageTags(): boolean {
    return this.client.network.cap.isEnabled('message-tags');
  }

  get hasEchoMessage(): boolean {
    return this.client.network.cap.isEnabled('echo-message');
  }

  /** True after {@link quit} or {@link stop}: a close that follows was asked for. */
  get quitting(): boolean {
    return this.stopping;
  }

  /** True once registered and not closed since. */
  get online(): boolean {
    return this.client.connected && this.registered;
  }

  /** Connect and register; then join the identity's channels. */
  async start(timeoutMs = 15_000): Promise<void> {
    await this.connect(timeoutMs);
    await Promise.all(this.identity.channels.map((c) => this.join(c.channel, c.key)));
  }

  /** Connect (or reconnect) and register; channels joined before are rejoined once registered. */
  async connect(timeoutMs = 15_000): Promise<void> {
    const { config, identity } = this;
    this.stopping = false;
    this.nickAttempt = 0;
    const options: ClientOptions = {
      host: config.host,
      port: config.port,
      tls: config.tls,
      nick: identity.nick(0),
      username: identity.username,
      gecos: identity.realname,
      enable_echomessage: true,
      // The bridge reconnects by itself: the bot after a short wait (irc-framework waits 2-7 s, then
      // 3-8 s, … while users wait for the bot), virtual users through the connect gate.
      auto_reconnect: false,
      // Lines are split by Trestle within the protocol limit; irc-framework must not split them again.
      message_max_length: 1000,
      version: null,
      ...(config.serverPassword !== undefined && { password: config.serverPassword }),
      // Without an account object irc-framework logs in to services as the nick, with the server
      // password as SASL PLAIN password: an empty one means "no SASL PLAIN login" (EXTERNAL needs none).
      account: identity.sasl ?? {},
      ...(identity.sasl && { sasl_mechanism: 'PLAIN' }),
      ...(identity.clientCertificate && {
        client_certificate: {
          certificate: identity.clientCertificate.certificate,
          private_key: identity.clientCertificate.privateKey,
        },
        ...(!identity.sasl && { sasl_mechanism: 'EXTERNAL' }),
      }),
      ...(config.tls && { rejectUnauthorized: !config.tlsSkipVerify }),
      transport: config.tls && config.tlsCa !== undefined ? transportTrusting(config.tlsCa) : BridgeTransport,
      ...(!identity.trackMembers && { skipLine: this.skipOthersChannelTraffic }),
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new IrcConnectionError(`${config.name}: not registered within ${timeoutMs} ms`, true)),
        timeoutMs,
      );
      const onRegistered = () => {
        clearTimeout(timer);
        this.client.off('close', onClose);
        this.client.off('irc error', onServerError);
        this.client.off('socket close', onSocketClose);
        resolve();
      };
      // Why the server or the TLS layer turned us away, so the admin reads the cause, not a timeout.
      let refusal: string | undefined;
      const onServerError = (e: { error: string; reason?: string }) => {
        if (e.error === 'irc' || e.error === 'password_mismatch')
          refusal = `the server refused the connection: ${e.reason ?? e.error}`;
      };
      const onSocketClose = (err?: Error & { code?: string }) => {
        if (err && !this.registered) refusal = describeSocketError(config, err);
        // A server that is restarting or unreachable for now is worth trying again; a refusal is not.
        const transient = err?.code !== undefined && TRANSIENT_SOCKET_ERRORS.has(err.code);
        if (refusal && !this.registered)
          fail(new IrcConnectionError(`${config.name}: ${refusal}`, transient));
      };
      const onClose = () =>
        fail(
          new IrcConnectionError(`${config.name}: ${refusal ?? 'connection closed'}`, refusal === undefined),
        );
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.client.off('registered', onRegistered);
        this.client.off('close', onClose);
        this.client.off('irc error', onServerError);
        this.client.off('socket close', onSocketClose);
        // A refusal is final: stop irc-framework from retrying with the same bad settings.
        if (err instanceof IrcConnectionError && !err.retryable) this.client.quit();
        reject(err);
      };
      this.client.once('registered', onRegistered);
      this.client.once('close', onClose);
      this.client.on('irc error', onServerError);
      this.client.on('socket close', onSocketClose);
      this.client.connect(options);
    });
  }

  /** Ask the server for a new nick; resolves with the nick the server confirmed. */
  async changeNick(nick: string, timeoutMs = 5000): Promise<string> {
    assertTarget(nick);
    const before = this.nick;
    return new Promise((resolve, reject) => {
      const done = (err?: Error, confirmed?: string) => {
        clearTimeout(timer);
        this.client.off('nick', onNick);
        this.client.off('nick in use', onRefused);
        this.client.off('nick invalid', onRefused);
        if (err) reject(err);
        else resolve(confirmed ?? nick);
      };
      const timer = setTimeout(
        () => done(new IrcConnectionError(`no answer to NICK ${nick}`, true)),
        timeoutMs,
      );
      const onNick = (e: { nick: string; new_nick: string }) => {
        if (this.fold(e.nick) === this.fold(before)) done(undefined, e.new_nick);
      };
      const onRefused = (e: { reason?: string }) =>
        done(new IrcConnectionError(`the server refused the nick ${nick}: ${e.reason ?? 'in use'}`, false));
      this.client.on('nick', onNick);
      this.client.on('nick in use', onRefused);
      this.client.on('nick invalid', onRefused);
      this.client.changeNick(nick);
    });
  }

  /** WHOIS a nick; resolves with what the server said (`error` set when there is no such nick). */
  whois(nick: string, timeoutMs = 5000): Promise<WhoisReply> {
    assertTarget(nick);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new IrcConnectionError(`no WHOIS answer for ${nick}`, true)),
        timeoutMs,
      );
      this.client.whois(nick, (reply: WhoisReply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /** Disconnect without reconnecting. */
  async quit(reason: string): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!this.client.connected) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.quit(reason);
    });
  }

  /** Leave a channel and forget it (it is not rejoined after a reconnect). */
  part(channel: string, reason?: string): void {
    assertTarget(channel);
    this.roster.drop(channel);
    if (this.online) this.client.part(channel, reason);
  }

  /** Channels (as spelled) this connection is in. */
  get channels(): string[] {
    return this.roster.all().map((c) => c.name);
  }

  async stop(reason = 'Bridge stopping'): Promise<void> {
    this.queue.close(new IrcConnectionError('bridge stopping', false));
    this.servicesLogin.stop();
    await this.quit(reason);
    this.client.removeAllListeners();
  }

  /** Join a channel (no-op if already in it); resolves once NAMES has arrived. */
  async join(channel: string, key?: string, timeoutMs = 10_000): Promise<ChannelState> {
    assertTarget(channel);
    const existing = this.roster.get(channel);
    if (existing?.members.has(this.fold(this.nick))) return existing;
    const folded = this.fold(channel);
    let giveUp: (err: Error) => void = () => undefined;
    const joined = new Promise<ChannelState>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new IrcConnectionError(`could not join ${channel} within ${timeoutMs} ms`, true)),
        timeoutMs,
      );
      const waiter = {
        resolve: (state: ChannelState) => {
          clearTimeout(timer);
          resolve(state);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      giveUp = (err) => {
        this.joinWaiters.set(
          folded,
          (this.joinWaiters.get(folded) ?? []).filter((w) => w !== waiter),
        );
        waiter.reject(err);
      };
      this.joinWaiters.set(folded, [...(this.joinWaiters.get(folded) ?? []), waiter]);
    });
    try {
      await this.queue.send(() => this.client.join(channel, key));
    } catch (err) {
      // The JOIN never went out (the connection is closing): nobody will wait for an answer.
      joined.catch(() => undefined);
      giveUp(err as Error);
      throw err;
    }
    return joined;
  }

  /**
   * Send lines to a channel or nick, in order, paced by flood control. Resolves with one id per
   * line: the server's msgid when echo-message gives one, else a local id.
   */
  async send(
    kind: OutgoingKind,
    target: string,
    lines: string[],
    firstLineTags: Record<string, string> = {},
  ): Promise<string[]> {
    assertTarget(target);
    // Retryable: the core keeps the lines, in order, until the connection and the channel are back.
    if (!this.registered) throw new IrcConnectionError('not connected to the server', true);
    if (this.rejoining.has(this.fold(target)))
      throw new IrcConnectionError(`rejoining ${target} after a reconnect`, true);
    const ids: Promise<string>[] = [];
    let tags = this.hasMessageTags ? firstLineTags : {};
    for (const raw of lines) {
      const text = neutraliseIrcText(raw);
      if (!text) continue;
      const lineTags = tags;
      tags = {};
      const id = this.expectEcho(kind, target, text);
      id.catch(() => undefined); // observed by Promise.all below; this only stops an early unhandled rejection
      ids.push(id);
      await this.queue.send(() => this.writeLine(kind, target, text, lineTags));
    }
    return Promise.all(ids);
  }

  /**
   * Set a channel topic. Resolves when the server announces it (or after a short wait on servers
   * that stay silent); rejects when the server refuses (not a channel operator on a +t channel).
   */
  async setTopic(channel: string, topic: string): Promise<void> {
    assertTarget(channel);
    const folded = this.fold(channel);
    const settled = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.topicWaiters.delete(folded) && resolve(), ECHO_TIMEOUT_MS);
      timer.unref();
      this.topicWaiters.set(folded, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
    });
    await this.queue.send(() => this.client.raw('TOPIC', channel, neutraliseIrcText(topic)));
    await settled;
  }

  private writeLine(kind: OutgoingKind, target: string, text: string, tags: Record<string, string>): void {
    if (!isWireSafe(target) || !isWireSafe(text))
      throw new IrcConnectionError('refusing to write an unsafe line', false);
    // irc-framework drops lines written to a closed socket without a word; the core retries this.
    if (!this.client.connected) throw new IrcConnectionError('not connected to the server', true);
    const message = new Message(
      kind === 'notice' ? 'NOTICE' : 'PRIVMSG',
      target,
      kind === 'action' ? `\x01ACTION ${text}\x01` : text,
    );
    // irc-framework escapes tag values (`;`, space, CR, LF, backslash) when it serialises them.
    message.tags = tags;
    this.client.raw(message);
  }

  /**
   * Send a `TAGMSG` (IRCv3 message-tags: a reaction, a typing notice): client tags only, no text.
   * Resolves false, sending nothing, when the server does not pass client tags.
   */
  async sendTags(target: string, tags: Record<string, string>): Promise<boolean> {
    assertTarget(target);
    if (!this.hasMessageTags) return false;
    const message = new Message('TAGMSG', target);
    message.tags = tags;
    await this.queue.send(() => this.client.raw(message));
    return true;
  }

  private expectEcho(type: OutgoingKind, target: string, text: string): Promise<string> {
    if (!this.hasEchoMessage) return Promise.resolve(localId());
    return this.echoes.expect(type, this.fold(target), text);
  }

  private isMe(nick: string | undefined): boolean {
    return nick !== undefined && this.fold(nick) === this.fold(this.nick);
  }

  /**
   * Reconnect until registered again or quit: every 0.5-1 s for the first {@link QUICK_RETRIES}
   * attempts (a server restarting is back within seconds, and virtual users wait for the bot), then
   * with jittered backoff doubling to 30-60 s.
   */
  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const attempt = this.reconnectAttempts++;
    const doublings = Math.max(0, attempt - QUICK_RETRIES);
    const waitMs = Math.min(1000 * 2 ** doublings, 60_000) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopping || this.registered) return;
      this.connect().catch((err: Error) => {
        this.log.warn('reconnect failed; trying again', {
          network: this.config.name,
          attempt,
          err: err.message,
        });
        this.scheduleReconnect();
      });
    }, waitMs);
  }

  private listen(): void {
    const c = this.client;
    c.on('registered', () => {
      if (this.everRegistered) {
        this.log.info('reconnected; rejoining channels', { network: this.config.name });
        for (const state of this.roster.all()) {
          state.members.clear();
          const folded = this.fold(state.name);
          this.rejoining.add(folded);
          void this.join(state.name).catch((err: Error) => {
            this.rejoining.delete(folded);
            this.log.warn('rejoin failed', { network: this.config.name, err });
          });
        }
      }
      this.registered = true;
      this.everRegistered = true;
      this.registeredAt = Date.now();
    });
    c.on('socket close', () => {
      this.registered = false;
    });
    c.on('close', () => {
      if (this.stopping) return;
      this.log.warn('connection closed', { network: this.config.name });
      // A link that lasted starts the backoff over; one dropped soon after registering (a K-line
      // after connect, a server that keeps closing) keeps backing off.
      const upFor = this.registeredAt ? Date.now() - this.registeredAt : 0;
      this.registeredAt = 0;
      if (upFor > STABLE_LINK_MS) this.reconnectAttempts = 0;
      if (this.identity.autoReconnect && this.everRegistered) this.scheduleReconnect();
    });
    c.on('nick in use', () => {
      // Before registration the server waits for another NICK; after it, the old nick stays.
      if (this.registered) return;
      this.nickAttempt += 1;
      c.changeNick(this.identity.nick(this.nickAttempt));
    });
    for (const type of ['privmsg', 'action', 'notice'] as const) {
      c.on(type, (e: MessagePayload) => this.onMessage(type, e));
    }
    c.on('tagmsg', (e: MessagePayload) => this.onTagMessage(e));
    c.on('userlist', (e: { channel: string; users: Array<{ nick: string }> }) => {
      const state = this.roster.ensure(e.channel);
      for (const u of e.users) this.roster.addMember(e.channel, u.nick);
      const waiters = this.joinWaiters.get(this.fold(e.channel));
      this.joinWaiters.delete(this.fold(e.channel));
      for (const w of waiters ?? []) w.resolve(state);
    });
    c.on('irc error', (e: { error: string; channel?: string; nick?: string; reason?: string }) =>
      this.onServerRefusal(e),
    );
    c.on('join', (e: { nick: string; channel: string; time?: number }) => {
      if (this.isMe(e.nick)) {
        this.roster.ensure(e.channel).name = e.channel;
        this.rejoining.delete(this.fold(e.channel));
      }
      this.roster.addMember(e.channel, e.nick);
      if (!this.isMe(e.nick)) this.onEvent({ kind: 'join', nick: e.nick, channel: e.channel, time: e.time });
    });
    c.on('part', (e: { nick: string; channel: string; message: string; time?: number }) => {
      if (this.isMe(e.nick)) return this.roster.drop(e.channel);
      this.roster.removeMember(e.channel, e.nick);
      this.onEvent({ kind: 'part', nick: e.nick, channel: e.channel, reason: e.message, time: e.time });
    });
    c.on('kick', (e: { nick: string; kicked: string; channel: string; message: string; time?: number }) => {
      if (this.isMe(e.kicked)) {
        this.log.warn('bot was kicked', { network: this.config.name, channel: e.channel });
        this.roster.drop(e.channel);
      } else {
        this.roster.removeMember(e.channel, e.kicked);
      }
      this.onEvent({
        kind: 'kick',
        nick: e.nick,
        kicked: e.kicked,
        channel: e.channel,
        reason: e.message,
        time: e.time,
      });
    });
    c.on('quit', (e: { nick: string; message: string; time?: number }) => {
      const channels = this.roster.removeEverywhere(e.nick);
      if (!this.isMe(e.nick))
        this.onEvent({ kind: 'quit', nick: e.nick, channels, reason: e.message, time: e.time });
    });
    c.on('nick', (e: { nick: string; new_nick: string; time?: number }) => {
      const channels = this.roster.rename(e.nick, e.new_nick);
      if (!this.isMe(e.new_nick))
        this.onEvent({ kind: 'nick', nick: e.nick, newNick: e.new_nick, channels, time: e.time });
    });
    c.on('topic', (e: { channel: string; topic: string; nick?: string; time?: number }) => {
      this.roster.ensure(e.channel).topic = e.topic;
      if (this.isMe(e.nick)) {
        const waiter = this.topicWaiters.get(this.fold(e.channel));
        this.topicWaiters.delete(this.fold(e.channel));
        waiter?.resolve();
      }
      this.onEvent({ kind: 'topic', channel: e.channel, topic: e.topic, nick: e.nick, time: e.time });
    });
  }

  /**
   * A numeric saying a line or a join was refused (+m, +b, +i, no such nick …). The lines still
   * waiting for their echo to that target fail, so the sender is told instead of left guessing.
   */
  private onServerRefusal(e: { error: string; channel?: string; nick?: string; reason?: string }): void {
    const target = e.channel ?? e.nick;
    if (!target) return;
    const folded = this.fold(target);
    const why = `${target}: ${e.reason ?? e.error.replace(/_/g, ' ')}`;
    if (SEND_REFUSALS.has(e.error)) {
      this.echoes.refuse(folded, new IrcConnectionError(`the server refused the message (${why})`, false));
    } else if (e.error === 'chanop_privs_needed') {
      const waiter = this.topicWaiters.get(folded);
      this.topicWaiters.delete(folded);
      waiter?.reject(new IrcConnectionError(`the server refused (${why})`, false));
    } else if (JOIN_REFUSALS.has(e.error)) {
      const waiters = this.joinWaiters.get(folded);
      this.joinWaiters.delete(folded);
      for (const w of waiters ?? []) w.reject(new IrcConnectionError(`could not join ${why}`, false));
    }
  }

  /** IRCv3 reactions (`+draft/react`, `+draft/unreact`) on a message with a msgid; other TAGMSGs are ignored. */
  private onTagMessage(e: MessagePayload): void {
    if (e.from_server || !e.nick || this.isMe(e.nick)) return;
    const replyTo = e.tags?.['+draft/reply'];
    const unreact = e.tags?.['+draft/unreact'];
    const key = e.tags?.['+draft/react'] || unreact;
    if (!replyTo || !key) return;
    this.onEvent({
      kind: 'reaction',
      nick: e.nick,
      target: e.target,
      replyTo,
      key,
      removed: !e.tags?.['+draft/react'],
      time: e.time,
    });
  }

  private onMessage(type: OutgoingKind, e: MessagePayload): void {
    if (e.from_server || !e.nick) return;
    const msgid = e.tags?.msgid;
    if (this.isMe(e.nick)) {
      // Our own line, echoed back (echo-message): it tells us the server's msgid for what we sent.
      this.echoes.echoed(type, this.fold(e.target), e.message, msgid);
      return;
    }
    this.onEvent({
      kind: 'message',
      type,
      nick: e.nick,
      target: e.target,
      text: e.message,
      time: e.time,
      msgid,
      replyTo: e.tags?.['+draft/reply'],
    });
  }
}

/** irc-framework's WHOIS reply (the fields the bridge shows). */
export interface WhoisReply {
  nick: string;
  error?: string;
  ident?: string;
  hostname?: string;
  real_name?: string;
  server?: string;
  channels?: string;
  account?: string;
  idle?: number;
}

interface MessagePayload {
  from_server?: boolean;
  nick?: string;
  target: string;
  message: string;
  time?: number;
  tags?: Record<string, string>;
}

function assertTarget(target: string): void {
  if (!VALID_TARGET.test(target))
    throw new IrcConnectionError(`not a valid IRC target: ${JSON.stringify(target)}`, false);
}

const localId = () => `local-${randomUUID()}`;

/** True for ids the bridge made up because the server gave no msgid (other clients cannot refer to them). */
export const isLocalId = (id: string): boolean => id.startsWith('local-');

/** Socket errors that say the server is down or unreachable for now (an ircd restart, a netsplit). */
const TRANSIENT_SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

/** A socket error before registration, in words an admin can act on (TLS trust above all). */
function describeSocketError(config: IrcNetworkConfig, err: Error & { code?: string }): string {
  const where = `${config.host}:${config.port}`;
  const untrusted = new Set([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ]);
  if (err.code !== undefined && untrusted.has(err.code))
    return `the TLS certificate of ${where} is not trusted (${err.code}: ${err.message}); give its CA in tlsCa, or set tlsSkipVerify to accept it unverified`;
  return `could not connect to ${where}: ${err.message}`;
}
