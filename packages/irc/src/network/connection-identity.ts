import type { IrcNetworkConfig } from '../config';
import type { LoginRejection } from './services-login';

/** Who a connection is: the bot, or a Matrix user's virtual user. */
export interface ConnectionIdentity {
  /** Nick candidates in order of preference: attempt 0 is the wanted nick; later ones resolve collisions. */
  nick(attempt: number): string;
  username: string;
  realname: string;
  /** Services account: SASL PLAIN where offered, else NickServ IDENTIFY after registering. */
  sasl?: { account: string; password: string };
  /** TLS client certificate (the bot's): logs in with SASL EXTERNAL when there is no `sasl`. */
  clientCertificate?: { certificate: string; privateKey: string };
  /** Services refused the account's login (the connection goes on without it). */
  onLoginRejected?(rejection: LoginRejection): void;
  /** Channels joined right after registration. */
  channels: ReadonlyArray<{ channel: string; key?: string }>;
  /**
   * Keep every channel's member list (the bot needs it for mentions and membership); virtual
   * users only track their own membership, which keeps an idle connection small, and do not read
   * other people's channel traffic at all (`others-channel-traffic.ts`).
   */
  trackMembers: boolean;
  /** Let irc-framework reconnect by itself (the bot); virtual users reconnect through the connect gate. */
  autoReconnect: boolean;
}

/** The bridge bot's identity on a network. */
export function botIdentity(config: IrcNetworkConfig): ConnectionIdentity {
  return {
    nick: (attempt) => (attempt === 0 ? config.botNick : `${config.botNick}_${attempt + 1}`),
    username:
      config.botNick
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 10) || 'trestle',
    realname: 'Trestle Matrix bridge',
    ...(config.sasl && { sasl: { account: config.sasl.account, password: config.sasl.password } }),
    ...(config.tlsClientCertificate && { clientCertificate: config.tlsClientCertificate }),
    channels: config.channels,
    trackMembers: true,
    autoReconnect: true,
  };
}
