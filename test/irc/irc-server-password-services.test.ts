/**
 * A server password is not a services login. InspIRCd requires a server password and offers SASL
 * (Atheme linked); the bridge bot has no services account in its config and a Matrix user's virtual
 * user has no stored login. Their nicks are accounts of other people. Neither connection may try
 * to log in to those accounts (irc-framework would, with the server password as SASL PLAIN
 * password, unless told there is no account): services would count a failed login against the
 * owner, and warn them about it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, IrcTestUser, type BridgeWorld, type MatrixTestUser } from '@trestle/testkit';
import { SERVICES_BOT as BOT, startServicesWorld, type ServicesWorld } from './services-fixture';

const CHANNEL = '#passworded';
const SERVER_PASSWORD = 'the-server-password';
const BOT_NICK_OWNER_PASSWORD = 'owner-of-the-bot-nick';
const DAVE_NICK = 'Dave[m]';
const DAVE_NICK_OWNER_PASSWORD = 'owner-of-daves-nick';

let setup: ServicesWorld;
let world: BridgeWorld;
let bob: IrcTestUser;
let dave: MatrixTestUser;

beforeAll(async () => {
  setup = await startServicesWorld({
    sasl: true,
    connectPassword: SERVER_PASSWORD,
    botLogsIn: false,
    channel: CHANNEL,
    accounts: { [BOT]: BOT_NICK_OWNER_PASSWORD, [DAVE_NICK]: DAVE_NICK_OWNER_PASSWORD },
    displayNames: ['Dave'],
  });
  ({ world, bob } = setup);
  [dave] = setup.users as [MatrixTestUser];
}, 180_000);

afterAll(() => setup?.stop());

/**
 * What NickServ tells the owner of `account` when they identify: Atheme reports the failed logins
 * since their last login here. Read up to the end of their `INFO`, so every earlier notice is in.
 */
async function whatTheOwnerIsTold(account: string, password: string): Promise<string[]> {
  const owner = await IrcTestUser.connect({
    host: setup.ircd.host,
    port: setup.ircd.port,
    nick: `owner${Math.floor(Math.random() * 1e5)}`,
    password: SERVER_PASSWORD,
  });
  try {
    const fromNickServ = (e: { type: string; nick?: string }) => e.type === 'notice' && e.nick === 'NickServ';
    owner.say('NickServ', `IDENTIFY ${account} ${password}`);
    await owner.waitForMessage(
      (e) => fromNickServ(e) && /now logged in|identified/i.test(e.message ?? ''),
      5000,
    );
    owner.say('NickServ', `INFO ${account}`);
    await owner.waitForMessage((e) => fromNickServ(e) && /end of info/i.test(e.message ?? ''), 5000);
    return owner.log.filter(fromNickServ).map((e) => e.message ?? '');
  } finally {
    await owner.quit();
  }
}

describe('a server password with SASL on offer, and no services account', () => {
  it('the bridge bot connects with the server password and makes no login attempt on its nick’s account', async () => {
    await eventually(async () => (await bob.whois(BOT)).server !== undefined, `${BOT} on IRC`);
    expect((await bob.whois(BOT)).account).toBeUndefined();
    const told = await whatTheOwnerIsTold(BOT, BOT_NICK_OWNER_PASSWORD);
    expect(told.filter((line) => /fail/i.test(line))).toEqual([]);
    expect(world.bridgeLog()).not.toContain('services refused the login');
  });

  it('a virtual user without a stored login connects and makes no login attempt on its nick’s account', async () => {
    await dave.joinRoom(`#irc_test_${CHANNEL}:${world.synapse.serverName}`);
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === DAVE_NICK && e.channel === CHANNEL,
      15_000,
    );
    expect((await bob.whois(DAVE_NICK)).account).toBeUndefined();
    const told = await whatTheOwnerIsTold(DAVE_NICK, DAVE_NICK_OWNER_PASSWORD);
    expect(told.filter((line) => /fail/i.test(line))).toEqual([]);
    expect(world.bridgeLog()).not.toContain('services refused the login');
  });
});
