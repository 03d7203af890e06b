/**
 * Services accounts on a real network: InspIRCd linked to Atheme (NickServ + SaslServ). Accounts
 * are registered through NickServ REGISTER by IRC clients; the bridge bot logs in with SASL PLAIN
 * from its config, and a Matrix user's virtual user with the credentials stored by `login`.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@trestle/core';
import { bridge } from '@trestle/irc';
import {
  ATHEME_LINK,
  IrcTestUser,
  MatrixTestUser,
  startAtheme,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type RunningIrcServer,
  type RunningServices,
} from '@trestle/testkit';
import { ircNetworkConfig, tryConnect } from './irc-connection-fixture';

const CHANNEL = '#accounts';
const BOT = 'TrestleBot';
const BOT_PASSWORD = 'bot-services-password';
const ALICE_ACCOUNT = 'aliceacct';
const ALICE_PASSWORD = 'alice-services-password';

let ircd: RunningIrcServer;
let services: RunningServices;
let world: BridgeWorld;
let bob: IrcTestUser;
let alice: MatrixTestUser;

/** Atheme logs each SASL login as `SaslServ <account>/<uid>:<nick>!… LOGIN (PLAIN)`. */
const loggedInWithSaslPlain = (account: string) =>
  new RegExp(`SaslServ ${account}/\\S+ LOGIN \\(PLAIN\\)`, 'i').test(readFileSync(services.logFile, 'utf8'));

/** Register `account` with NickServ from a throwaway IRC client using that nick, then leave. */
const registerAccount = async (account: string, password: string): Promise<void> => {
  const user = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: account });
  user.say('NickServ', `REGISTER ${password} ${account}@example.org`);
  const reply = await user.waitForMessage((e) => e.type === 'notice' && e.nick === 'NickServ', 5000);
  expect(reply.message).toContain('registered');
  await user.quit();
};

beforeAll(async () => {
  ircd = await startInspircd({ links: [ATHEME_LINK], serverId: '1AA' });
  services = await startAtheme(ircd);
  await Promise.all([registerAccount(BOT, BOT_PASSWORD), registerAccount(ALICE_ACCOUNT, ALICE_PASSWORD)]);
  bob = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob' });
  await bob.join(CHANNEL);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [
        {
          name: 'test',
          host: ircd.host,
          port: ircd.port,
          tls: false,
          botNick: BOT,
          sasl: { mechanism: 'PLAIN', account: BOT, password: BOT_PASSWORD },
          virtualUsers: { enabled: true, nickTemplate: '$DISPLAY[m]' },
          floodControl: { linesPerSecond: 100, burst: 100 },
        },
      ],
      connectRate: { perSecond: 20, jitterMs: 20 },
      secretKey: 'an-e2e-secret-key-for-stored-passwords',
    },
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await bob?.quit();
  await world?.stop();
  await services?.stop();
  await ircd?.stop();
});

describe('services accounts', () => {
  it('the bridge bot logs in to its services account with SASL PLAIN from the config', async () => {
    const whois = await bob.whois(BOT);
    expect(whois.account).toBe(BOT);
    expect(loggedInWithSaslPlain(BOT)).toBe(true);
  });

  it("a Matrix user's stored NickServ credentials log their own nick in with SASL when it connects", async () => {
    const dm = await alice.createRoom({ name: 'Bridge bot' });
    await alice.invite(dm, world.botUserId);
    await alice.waitForEvent(
      dm,
      (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
    );
    await alice.sendText(dm, `!irc login ${ALICE_ACCOUNT} ${ALICE_PASSWORD}`);
    await alice.waitForEvent(
      dm,
      (e) => e.sender === world.botUserId && String(e.content.body).includes('Stored'),
    );

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
      host: ircd.host,
      port: ircd.port,
      tls: false,
      sasl: { mechanism: 'PLAIN', account: ALICE_ACCOUNT, password: 'not-the-password' },
    });
    let account: string | undefined = 'unset';
    const err = await tryConnect(config, {
      log,
      whileConnected: async (connection) => {
        account = (await bob.whois(connection.nick)).account;
      },
    });
    expect(err).toBeUndefined();
    expect(account).toBeUndefined();
    expect(logged).toContain('services refused the SASL login');
    expect(logged).toContain(ALICE_ACCOUNT);
    expect(logged).not.toContain('not-the-password');
  });

  it('the stored password is never written to the bridge log', () => {
    expect(world.bridgeLog()).not.toContain(ALICE_PASSWORD);
    expect(world.bridgeLog()).not.toContain(BOT_PASSWORD);
  });
});
