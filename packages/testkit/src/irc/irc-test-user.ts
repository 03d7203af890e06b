/**
 * A person on IRC, for tests: a REAL irc-framework client that logs everything it receives and
 * lets a test wait for what it expects. It is the IRC side of the conformance driver.
 */
import { Client, Message } from 'irc-framework';
import { toLogEntry, type IrcLogEntry } from './irc-log-entry';

export interface IrcTestUserOptions {
  host: string;
  port: number;
  nick: string;
  /** Ask for IRCv3 echo-message (default false: a person's client normally shows its own lines). */
  echoMessage?: boolean;
  /** Server password (PASS), for servers started with `connectPassword`. */
  password?: string;
  /** How long `connect` waits for registration (default 5 s). */
  timeoutMs?: number;
}

/** Thrown when something a test waited for does not happen in time; lists what was seen instead. */
export class IrcWaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, seen: IrcLogEntry[]) {
    const recent = seen
      .slice(-15)
      .map((e) => JSON.stringify(e))
      .join('\n  ');
    super(`timed out after ${timeoutMs} ms waiting for ${what}; last events:\n  ${recent || '(none)'}`);
    this.name = 'IrcWaitTimeoutError';
  }
}

const LOGGED_EVENTS: IrcLogEntry['type'][] = [
  'privmsg',
  'action',
  'notice',
  'join',
  'part',
  'quit',
  'kick',
  'nick',
  'topic',
  'mode',
  'tagmsg',
  'invite',
];

type Waiter = { predicate: (e: IrcLogEntry) => boolean; resolve: (e: IrcLogEntry) => void };

export class IrcTestUser {
  /** Everything received since connect, oldest first. */
  readonly log: IrcLogEntry[] = [];
  private readonly waiters = new Set<Waiter>();

  private constructor(private readonly client: Client) {
    for (const type of LOGGED_EVENTS) {
      client.on(type, (payload: Record<string, unknown>) => this.record(toLogEntry(type, payload)));
    }
  }

  /** Connect and register; resolves once the server has welcomed the user. */
  static async connect(options: IrcTestUserOptions): Promise<IrcTestUser> {
    const client = new Client();
    const user = new IrcTestUser(client);
    const timeoutMs = options.timeoutMs ?? 5000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`${options.nick} was not registered within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        client.quit();
        reject(err);
      };
      client.once('registered', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('nick in use', () => fail(new Error(`nick ${options.nick} is in use`)));
      client.once('close', () => fail(new Error(`connection closed while registering ${options.nick}`)));
      client.connect({
        host: options.host,
        port: options.port,
        nick: options.nick,
        username:
          options.nick
            .toLowerCase()
            .replace(/[^a-z0-9]/g, '')
            .slice(0, 10) || 'user',
        gecos: options.nick,
        auto_reconnect: false,
        enable_echomessage: options.echoMessage ?? false,
        version: null,
        ...(options.password !== undefined && { password: options.password }),
        // No services login: without an account object irc-framework offers the server password
        // to services as a SASL PLAIN login of the nick.
        account: {},
      });
    });
    return user;
  }

  /** The current nick (follows nick changes). */
  get nick(): string {
    return this.client.user.nick;
  }

  /** IRCv3 capabilities the server acknowledged. */
  get capabilities(): string[] {
    return [...this.client.network.cap.enabled];
  }

  /** Join a channel and wait until the server confirms it. */
  async join(channel: string, timeoutMs = 5000): Promise<void> {
    const seen = this.log.length;
    this.client.join(channel);
    await this.waitFor(
      `own JOIN ${channel}`,
      (e) => e.type === 'join' && this.isMe(e.nick) && this.same(e.channel, channel),
      timeoutMs,
      seen,
    );
  }

  /** Leave a channel and wait until the server confirms it. */
  async part(channel: string, reason?: string, timeoutMs = 5000): Promise<void> {
    const seen = this.log.length;
    this.client.part(channel, reason);
    await this.waitFor(
      `own PART ${channel}`,
      (e) => e.type === 'part' && this.isMe(e.nick) && this.same(e.channel, channel),
      timeoutMs,
      seen,
    );
  }

  say(target: string, text: string): void {
    this.client.say(target, text);
  }

  action(target: string, text: string): void {
    this.client.action(target, text);
  }

  notice(target: string, text: string): void {
    this.client.notice(target, text);
  }

  /**
   * Send a message with IRCv3 tags (e.g. `+draft/reply`) and resolve with the msgid the server gave
   * it. Needs `echoMessage: true` at connect (the id comes back on the echo).
   */
  async sendTagged(
    target: string,
    text: string,
    options: {
      kind?: 'privmsg' | 'action' | 'notice';
      tags?: Record<string, string>;
      timeoutMs?: number;
    } = {},
  ): Promise<string | undefined> {
    const kind = options.kind ?? 'privmsg';
    const seen = this.log.length;
    const message = new Message(
      kind === 'notice' ? 'NOTICE' : 'PRIVMSG',
      target,
      kind === 'action' ? `\x01ACTION ${text}\x01` : text,
    );
    message.tags = options.tags ?? {};
    this.client.raw(message);
    const echo = await this.waitFor(
      `echo of own ${kind} to ${target}`,
      (e) => e.type === kind && this.isMe(e.nick) && e.message === text,
      options.timeoutMs ?? 5000,
      seen,
    );
    return echo.tags.msgid;
  }

  /** Kick someone (needs channel operator status) and wait for the server to announce it. */
  async kick(channel: string, nick: string, reason = 'kicked', timeoutMs = 5000): Promise<void> {
    const seen = this.log.length;
    this.client.raw('KICK', channel, nick, reason);
    await this.waitFor(
      `KICK ${nick} from ${channel}`,
      (e) => e.type === 'kick' && this.same(e.kicked, nick) && this.same(e.channel, channel),
      timeoutMs,
      seen,
    );
  }

  /** Set modes, e.g. `mode('#chan', '+o', 'bob')`. Does not wait (the server may refuse silently). */
  mode(target: string, modes: string, ...args: string[]): void {
    this.client.mode(target, modes, args);
  }

  /** Set a channel topic and wait for the server to announce it. */
  async topic(channel: string, text: string, timeoutMs = 5000): Promise<void> {
    const seen = this.log.length;
    this.client.setTopic(channel, text);
    await this.waitFor(
      `TOPIC on ${channel}`,
      (e) => e.type === 'topic' && this.same(e.channel, channel) && e.topic === text && e.nick !== undefined,
      timeoutMs,
      seen,
    );
  }

  /** Change nick and wait until the server accepts it. */
  async changeNick(newNick: string, timeoutMs = 5000): Promise<void> {
    const seen = this.log.length;
    const oldNick = this.nick;
    this.client.changeNick(newNick);
    await this.waitFor(
      `NICK ${oldNick} -> ${newNick}`,
      (e) => e.type === 'nick' && this.same(e.nick, oldNick) && this.same(e.newNick, newNick),
      timeoutMs,
      seen,
    );
  }

  /** Ask the server who `nick` is; resolves with the WHOIS reply (`account` is their services account). */
  whois(
    nick: string,
    timeoutMs = 5000,
  ): Promise<{ nick: string; account?: string; server?: string; secure?: boolean }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new IrcWaitTimeoutError(`WHOIS ${nick}`, timeoutMs, this.log)),
        timeoutMs,
      );
      this.client.whois(nick, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /**
   * Send a raw line and collect the raw lines the server sends back until `done` matches one
   * (e.g. the end-of-list numeric); resolves with them, the matching one last.
   */
  command(line: string, done: (reply: string) => boolean, timeoutMs = 5000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const replies: string[] = [];
      const onRaw = (e: { line: string; from_server: boolean }) => {
        if (!e.from_server) return;
        const reply = e.line.replace(/\r?\n$/, '');
        replies.push(reply);
        if (!done(reply)) return;
        clearTimeout(timer);
        this.client.off('raw', onRaw);
        resolve(replies);
      };
      const timer = setTimeout(() => {
        this.client.off('raw', onRaw);
        reject(new IrcWaitTimeoutError(`the answer to ${line.split(' ')[0]}`, timeoutMs, this.log));
      }, timeoutMs);
      this.client.on('raw', onRaw);
      this.client.raw(line);
    });
  }

  /** Send a raw line exactly as given (for tests of hostile input and operator commands). */
  raw(line: string): void {
    this.client.raw(line);
  }

  /**
   * Resolve with the first logged event (since connect) matching `predicate`, waiting up to
   * `timeoutMs` for one to arrive.
   */
  waitForMessage(predicate: (e: IrcLogEntry) => boolean, timeoutMs = 5000): Promise<IrcLogEntry> {
    return this.waitFor('a matching event', predicate, timeoutMs, 0);
  }

  /** Disconnect with a QUIT and wait for the socket to close. */
  async quit(message = 'bye'): Promise<void> {
    if (!this.client.connected) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.quit(message);
    });
    this.client.removeAllListeners();
  }

  private waitFor(
    what: string,
    predicate: (e: IrcLogEntry) => boolean,
    timeoutMs: number,
    fromIndex: number,
  ): Promise<IrcLogEntry> {
    const found = this.log.slice(fromIndex).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new IrcWaitTimeoutError(what, timeoutMs, this.log));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private record(entry: IrcLogEntry): void {
    this.log.push(entry);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(entry)) {
        this.waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  }

  private isMe(nick: string | undefined): boolean {
    return nick !== undefined && this.client.caseCompare(nick, this.client.user.nick);
  }

  private same(a: string | undefined, b: string): boolean {
    return a !== undefined && this.client.caseCompare(a, b);
  }
}
