/**
 * The parts of irc-framework 4.14 the testkit uses. irc-framework ships no types; these follow its
 * source (src/client.js, src/commands/handlers/*.js).
 */
declare module 'irc-framework' {
  export interface ClientOptions {
    host: string;
    port: number;
    nick: string;
    username?: string;
    gecos?: string;
    tls?: boolean;
    password?: string;
    auto_reconnect?: boolean;
    enable_echomessage?: boolean;
    message_max_length?: number;
    ping_interval?: number;
    ping_timeout?: number;
    version?: string | null;
    /** SASL PLAIN credentials; an object without them means "no SASL login". */
    account?: { account?: string; password?: string };
  }

  export interface NetworkInfo {
    options: Record<string, unknown>;
    cap: { enabled: string[]; isEnabled(cap: string): boolean };
    supports(name: string): unknown;
  }

  export class Message {
    constructor(command: string, ...params: string[]);
    tags: Record<string, string>;
  }

  export class Client {
    constructor(options?: ClientOptions);
    readonly connected: boolean;
    whois(
      nick: string,
      cb: (reply: { nick: string; account?: string; server?: string; secure?: boolean }) => void,
    ): void;
    readonly user: { nick: string };
    readonly network: NetworkInfo;
    connect(options?: ClientOptions): void;
    requestCap(cap: string | string[]): void;
    raw(...args: Array<string | number | Message>): void;
    quit(message?: string): void;
    changeNick(nick: string): void;
    say(target: string, message: string, tags?: Record<string, string>): void;
    notice(target: string, message: string, tags?: Record<string, string>): void;
    action(target: string, message: string): string[];
    join(channel: string, key?: string): void;
    part(channel: string, message?: string): void;
    mode(target: string, mode: string, extraArgs?: string | string[]): void;
    setTopic(channel: string, topic: string): void;
    caseLower(s: string): string;
    caseCompare(a: string, b: string): boolean;
    on(event: string, listener: (event: never) => void): this;
    once(event: string, listener: (event: never) => void): this;
    off(event: string, listener: (event: never) => void): this;
    removeAllListeners(event?: string): this;
  }
}
