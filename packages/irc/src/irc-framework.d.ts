/**
 * The parts of irc-framework 4.14 the IRC connector uses. irc-framework ships no types; these follow its
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
    /** SASL PLAIN credentials; an object without them means "no SASL PLAIN login". */
    account?: { account?: string; password?: string };
    sasl_mechanism?: string;
    /** Presented in the TLS handshake (CertFP, SASL EXTERNAL). */
    client_certificate?: ClientCertificate;
    /** False accepts any TLS certificate. */
    rejectUnauthorized?: boolean;
    /** The transport class (default: TCP/TLS); constructed with these options. */
    transport?: new (options: ClientOptions) => unknown;
    /** Not irc-framework's: read by the bridge's own transport, which drops the lines it refuses. */
    skipLine?: (line: string) => boolean;
  }

  export interface ClientCertificate {
    private_key: string;
    certificate: string;
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
    readonly user: { nick: string };
    readonly network: NetworkInfo;
    /** Internal: the parsed-command dispatcher; `handlers` maps command names to handler functions. */
    command_handler: { handlers: Record<string, unknown> };
    /** Internal: the connection under the client, whose events the client re-emits. */
    connection: { removeAllListeners(event: string): void };
    connect(options?: ClientOptions): void;
    ctcpRequest(target: string, type: string, ...params: string[]): void;
    requestCap(cap: string | string[]): void;
    raw(...args: Array<string | number | Message>): void;
    quit(message?: string): void;
    changeNick(nick: string): void;
    whois(target: string, callback: (reply: never) => void): void;
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

/** irc-framework's TCP/TLS transport (src/transports/net.js): the members a subclass touches. */
declare module 'irc-framework/src/transports/net' {
  import type { TLSSocket } from 'node:tls';
  interface TransportOptions {
    host: string;
    port?: number;
    tls?: boolean;
    ssl?: boolean;
    socks?: unknown;
    encoding?: string;
    rejectUnauthorized?: boolean;
    outgoing_addr?: string;
    client_certificate?: { private_key: string; certificate: string };
    skipLine?: (line: string) => boolean;
  }
  class NetTransport {
    constructor(options: TransportOptions);
    options: TransportOptions;
    socket: unknown;
    state: number;
    encoding: string;
    requested_disconnect: boolean;
    incoming_buffer: Buffer;
    isConnected(): boolean;
    connect(): void;
    writeLine(line: string, callback?: () => void): void;
    /** Splits the socket's data into lines, emitted as `line` events. */
    onSocketData(data: Buffer): void;
    debugOut(text: string): void;
    emit(event: string, ...args: unknown[]): boolean;
    disposeSocket(): void;
    setEncoding(encoding: string): boolean;
    getAddressFamily(address: string | undefined): number | undefined;
    _onSocketCreate(options: TransportOptions, socket: TLSSocket): void;
  }
  export = NetTransport;
}
