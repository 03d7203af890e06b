/**
 * A connection's login to its services account. irc-framework does SASL during registration (PLAIN
 * with an account and password, EXTERNAL with the bot's client certificate alone); this watches how
 * that ends and, where the server offers no SASL PLAIN to an account with a password, identifies to
 * NickServ the classic way after registering (`IDENTIFY <account> <password>`) and waits for the
 * server's RPL_LOGGEDIN (900). A login services refuse is reported through
 * {@link ConnectionIdentity.onLoginRejected}; the connection carries on without an account.
 * The password is written to the server and nowhere else (never logged, never in a report).
 */
import type { Client } from 'irc-framework';
import type { Logger } from '@trestle/core';
import { isWireSafe, stripMircFormatting } from '../format';
import type { ConnectionIdentity } from './connection-identity';

/** How a services login failed, for the person whose account it is. */
export interface LoginRejection {
  account: string;
  method: 'SASL' | 'SASL EXTERNAL' | 'NickServ IDENTIFY';
  /** What the server or services said (never the password). */
  reason: string;
  /** The nick the connection went on with, without the account. */
  nick: string;
}

/** How long NickServ has to log the connection in after IDENTIFY. */
const IDENTIFY_TIMEOUT_MS = 10_000;
const NICKSERV = 'NickServ';

/** irc-framework's `sasl failed` reasons meaning "no SASL PLAIN here", not "wrong password". */
const SASL_UNAVAILABLE = new Set(['capability_missing', 'unsupported_mechanism']);

/** What irc-framework's `sasl failed` carries for each numeric it maps (902, 904, 905). */
const SASL_FAILURES: Record<string, string> = {
  fail: 'authentication failed',
  nick_locked: 'the nick is locked by services',
  too_long: 'the login was too long',
};

export class ServicesLogin {
  /** SASL was not offered on this registration: identify to NickServ once registered. */
  private saslUnavailable = false;
  /** Why SASL failed on this registration; reported once registered, when the nick is known. */
  private saslFailure: string | undefined;
  private identifyTimer: NodeJS.Timeout | undefined;
  private stopIdentifyWatch: (() => void) | undefined;

  constructor(
    private readonly client: Client,
    private readonly identity: ConnectionIdentity,
    private readonly network: string,
    private readonly log: Logger,
    /** Our own WHOIS account, asked when the server stays silent about a login. */
    private readonly ownAccount: () => Promise<string | undefined>,
  ) {
    if (!identity.sasl && !identity.clientCertificate) return;
    client.on('sasl failed', (e: { reason: string; message?: string }) => this.onSaslFailed(e));
    client.on('registered', () => this.onRegistered());
    client.on('socket close', () => this.endIdentifyWatch());
  }

  /** Forget pending work (the connection is stopping). */
  stop(): void {
    this.endIdentifyWatch();
  }

  private onSaslFailed(e: { reason: string; message?: string }): void {
    if (SASL_UNAVAILABLE.has(e.reason)) {
      this.saslUnavailable = true;
      return;
    }
    this.saslFailure = e.message ?? SASL_FAILURES[e.reason] ?? e.reason;
  }

  private onRegistered(): void {
    const { sasl } = this.identity;
    const saslMissing = this.saslUnavailable || !this.client.network.cap.isEnabled('sasl');
    const saslFailure = this.saslFailure;
    this.saslUnavailable = false;
    this.saslFailure = undefined;
    const method = sasl ? 'SASL' : 'SASL EXTERNAL';
    if (saslFailure !== undefined) return this.rejected(method, saslFailure);
    if (!saslMissing) return;
    // A certificate alone has no password to identify with.
    if (!sasl) return this.rejected(method, 'the server offers no SASL EXTERNAL');
    // Stored from a Matrix command: a CR, LF or NUL in it must not end the line and start another.
    if (!isWireSafe(sasl.account) || !isWireSafe(sasl.password) || /\s/.test(sasl.account)) {
      this.rejected('NickServ IDENTIFY', 'the account or password contains characters IRC cannot carry');
      return;
    }
    this.watchIdentify();
    this.client.say(NICKSERV, `IDENTIFY ${sasl.account} ${sasl.password}`);
  }

  /** Logged in on RPL_LOGGEDIN; NickServ missing or silent (past the timeout) is a refusal. */
  private watchIdentify(): void {
    this.endIdentifyWatch();
    let lastWord: string | undefined;
    const isNickServ = (nick: string | undefined) =>
      nick !== undefined && this.client.caseCompare(nick, NICKSERV);
    const onLoggedIn = () => this.endIdentifyWatch();
    const onNotice = (e: { nick?: string; message: string }) => {
      if (isNickServ(e.nick)) lastWord = stripMircFormatting(e.message);
    };
    const onNoSuchNick = (e: { error: string; nick?: string }) => {
      if (e.error !== 'no_such_nick' || !isNickServ(e.nick)) return;
      this.endIdentifyWatch();
      this.rejected('NickServ IDENTIFY', 'there is no NickServ on this network');
    };
    this.client.on('loggedin', onLoggedIn);
    this.client.on('notice', onNotice);
    this.client.on('irc error', onNoSuchNick);
    this.identifyTimer = setTimeout(() => {
      this.endIdentifyWatch();
      // A server that does not send 900 on a services login may still have logged us in.
      this.ownAccount().then(
        (account) => {
          if (!account)
            this.rejected(
              'NickServ IDENTIFY',
              lastWord ? `NickServ said: ${lastWord}` : 'NickServ did not answer',
            );
        },
        // No WHOIS answer (the connection is going away): nothing can be said about the login.
        () => undefined,
      );
    }, IDENTIFY_TIMEOUT_MS);
    this.identifyTimer.unref();
    this.stopIdentifyWatch = () => {
      this.client.off('loggedin', onLoggedIn);
      this.client.off('notice', onNotice);
      this.client.off('irc error', onNoSuchNick);
    };
  }

  private endIdentifyWatch(): void {
    clearTimeout(this.identifyTimer);
    this.identifyTimer = undefined;
    this.stopIdentifyWatch?.();
    this.stopIdentifyWatch = undefined;
  }

  private rejected(method: LoginRejection['method'], reason: string): void {
    // EXTERNAL names no account: services pick it by the certificate's fingerprint.
    const account = this.identity.sasl?.account;
    const nick = this.client.user.nick;
    // The connection goes on without an account; the admin must learn why (never the password).
    this.log.warn('services refused the login; connected without an account', {
      network: this.network,
      account,
      nick,
      method,
      reason,
    });
    if (account !== undefined) this.identity.onLoginRejected?.({ account, method, reason, nick });
  }
}
