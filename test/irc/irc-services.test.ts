/**
 * Services accounts on a real network: InspIRCd linked to Atheme (NickServ + SaslServ). Accounts
 * are registered through NickServ REGISTER by IRC clients; the bridge bot logs in with SASL PLAIN
 * from its config, and a Matrix user's virtual user with the credentials stored by `login`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@trestle/core';
import type { BridgeWorld, IrcTestUser, MatrixTestUser, RunningServices } from '@trestle/testkit';
import { ircNetworkConfig } from './irc-connection-fixture';
import {
  accountOnConnect,
  athemeLogged,
  roomWithBot,
  SERVICES_BOT as BOT,
  startServicesWorld,
  storeLogin,
  type ServicesWorld,
} from './services-fixture';

const CHANNEL = '#accounts';
const BOT_PASSWORD = 'bot-services-password';
const ALICE_ACCOUNT = 'aliceacct';
const ALICE_PASSWORD = 'alice-services-password';
const CAROL_ACCOUNT = 'carolacct';
const CAROL_PASSWORD = 'carol-services-password';
const CAROL_STALE_PASSWORD = 'carol-old-password';

let setup: ServicesWorld;
let services: RunningServices;
let world: BridgeWorld;
let bob: IrcTestUser;
let alice: MatrixTestUser;
let carol: MatrixTestUser;
/** Carol's private room with the bot, where she stores her account. */
let carolDm: string;

/** Atheme logs each SASL login as `SaslServ <account>/<uid>:<nick>!… LOGIN (PLAIN)`. */
const loggedInWithSaslPlain = (account: string) =>
  athemeLogged(services, 'SaslServ', account, 'LOGIN (PLAIN)');

beforeAll(async () => {
  setup = await startServicesWorld({
    sasl: true,
    channel: CHANNEL,
    accounts: { [BOT]: BOT_PASSWORD, [ALICE_ACCOUNT]: ALICE_PASSWORD, [CAROL_ACCOUNT]: CAROL_PASSWORD },
    displayNames: ['Alice', 'Carol'],
  });
  ({ services, world, bob } = setup);
  [alice, carol] = setup.users as [MatrixTestUser, MatrixTestUser];
}, 180_000);

afterAll(() => setup?.stop());

describe('services accounts', () => {
  it('the bridge bot logs in to its services account with SASL PLAIN from the config', async () => {
    const whois = await bob.whois(BOT);
    expect(whois.account).toBe(BOT);
    expect(loggedInWithSaslPlain(BOT)).toBe(true);
  });

  it("a Matrix user's stored NickServ credentials log their own nick in with SASL when it connects", async () => {
    await storeLogin(world, alice, await roomWithBot(world, alice), ALICE_ACCOUNT, ALICE_PASSWORD);

    await alice.joinRoom(`#irc_test_${CHANNEL}:${world.synapse.serverName}`);
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Alice[m]' && e.channel === CHANNEL,
      15_000,
    );
    const whois = await bob.whois('Alice[m]');
    expect(whois.account).toBe(ALICE_ACCOUNT);
    expect(loggedInWithSaslPlain(ALICE_ACCOUNT)).toBe(true);
  });

  it('a password services reject is logged as a SASL failure, without the password, and the connection goes on without an account', async () => {
    let logged = '';
    const log = createLogger('warn', (line) => (logged += line + '\n'));
    const config = ircNetworkConfig({
      host: setup.ircd.host,
      port: setup.ircd.port,
      tls: false,
      sasl: { mechanism: 'PLAIN', account: ALICE_ACCOUNT, password: 'not-the-password' },
    });
    const { err, account } = await accountOnConnect(config, bob, log);
    expect(err).toBeUndefined();
    expect(account).toBeUndefined();
    expect(logged).toContain('services refused the login');
    expect(logged).toContain('SASL');
    expect(logged).toContain(ALICE_ACCOUNT);
    expect(logged).not.toContain('not-the-password');
  });

  it('a stored password services reject is reported to its Matrix user, who stays on IRC without an account', async () => {
    carolDm = await roomWithBot(world, carol);
    await storeLogin(world, carol, carolDm, CAROL_ACCOUNT, CAROL_STALE_PASSWORD);

    const portal = await carol.joinRoom(`#irc_test_${CHANNEL}:${world.synapse.serverName}`);
    const notice = await carol.waitForEvent(
      carolDm,
      (e) => e.sender === world.botUserId && String(e.content.body).includes('did not accept'),
      20_000,
    );
    const text = String(notice.content.body);
    expect(notice.content.msgtype).toBe('m.notice');
    expect(text).toContain('test:');
    expect(text).toContain(CAROL_ACCOUNT);
    expect(text).toContain('SASL');
    expect(text).toContain('Carol[m]');
    expect(text).toContain('login test <account> <password>');
    expect(text).not.toContain(CAROL_STALE_PASSWORD);

    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Carol[m]' && e.channel === CHANNEL,
      15_000,
    );
    expect((await bob.whois('Carol[m]')).account).toBeUndefined();
    await carol.sendText(portal, 'still here without an account');
    await bob.waitForMessage(
      (e) => e.nick === 'Carol[m]' && e.message === 'still here without an account',
      15_000,
    );
  });

  it('after the notice, storing the right password and reconnecting logs the user in', async () => {
    await storeLogin(world, carol, carolDm, CAROL_ACCOUNT, CAROL_PASSWORD);
    await carol.sendText(carolDm, '!irc reconnect');
    await carol.waitForEvent(
      carolDm,
      (e) => e.sender === world.botUserId && String(e.content.body).startsWith('Reconnected'),
      20_000,
    );
    expect((await bob.whois('Carol[m]')).account).toBe(CAROL_ACCOUNT);
    expect(loggedInWithSaslPlain(CAROL_ACCOUNT)).toBe(true);
    const notices = carol.timeline(carolDm).filter((e) => String(e.content.body).includes('did not accept'));
    expect(notices).toHaveLength(1);
  });

  it('the stored password is never written to the bridge log', () => {
    for (const password of [ALICE_PASSWORD, BOT_PASSWORD, CAROL_PASSWORD, CAROL_STALE_PASSWORD])
      expect(world.bridgeLog()).not.toContain(password);
  });
});
