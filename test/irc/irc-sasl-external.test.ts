/**
 * SASL EXTERNAL for the bridge bot on a real network: InspIRCd asks TLS clients for a certificate
 * and passes its fingerprint to Atheme; an account with that fingerprint (NickServ CERT ADD) logs
 * the bot in without a password. A certificate services do not know is logged, and the bot goes
 * on without an account. The server also requires a server password, which changes neither.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@trestle/core';
import {
  ATHEME_LINK,
  createClientCertificate,
  IrcTestUser,
  startAtheme,
  startInspircd,
  type RunningIrcServer,
  type RunningServices,
  type TestClientCertificate,
} from '@trestle/testkit';
import { ircNetworkConfig } from './irc-connection-fixture';
import { accountOnConnect, athemeLogged, registerAccount } from './services-fixture';

const BOT_ACCOUNT = 'botacct';
/** A server password besides the certificate: the certificate alone decides the login. */
const SERVER_PASSWORD = 'server-password-not-a-login';

let ircd: RunningIrcServer;
let services: RunningServices;
let bob: IrcTestUser;
let registered: TestClientCertificate;

beforeAll(async () => {
  ircd = await startInspircd({
    links: [ATHEME_LINK],
    serverId: '1AA',
    tls: true,
    tlsClientCertificates: true,
    connectPassword: SERVER_PASSWORD,
  });
  services = await startAtheme(ircd);
  registered = createClientCertificate('trestle-bot');
  await registerAccount(ircd, BOT_ACCOUNT, 'bot-account-password', registered.fingerprint);
  bob = await IrcTestUser.connect({
    host: ircd.host,
    port: ircd.port,
    nick: 'bob',
    password: SERVER_PASSWORD,
  });
}, 60_000);

afterAll(async () => {
  await bob?.quit();
  await services?.stop();
  await ircd?.stop();
});

/** The bot's connection over TLS (trusting the test CA) with `certificate` as its client certificate. */
const botWith = (certificate: TestClientCertificate) =>
  ircNetworkConfig({
    host: ircd.host,
    port: ircd.tlsPort!,
    tls: true,
    tlsCa: ircd.caCertificate!,
    serverPassword: SERVER_PASSWORD,
    tlsClientCertificate: { certificate: certificate.certificate, privateKey: certificate.privateKey },
  });

describe('SASL EXTERNAL with a client certificate', () => {
  it('the bridge bot logs in to the account its certificate is registered to, with no services password in the config', async () => {
    const { err, account } = await accountOnConnect(botWith(registered), bob);
    expect(err).toBeUndefined();
    expect(account).toBe(BOT_ACCOUNT);
    expect(athemeLogged(services, 'SaslServ', BOT_ACCOUNT, 'LOGIN (EXTERNAL)')).toBe(true);
  });

  it('a certificate services do not know is logged as a refused login, and the bot connects without an account', async () => {
    let logged = '';
    const log = createLogger('warn', (line) => (logged += line + '\n'));
    const { err, account } = await accountOnConnect(botWith(createClientCertificate('stranger')), bob, log);
    expect(err).toBeUndefined();
    expect(account).toBeUndefined();
    expect(logged).toContain('services refused the login');
    expect(logged).toContain('SASL EXTERNAL');
    expect(logged).toContain('SASL authentication failed');
  });
});
