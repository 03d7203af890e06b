/**
 * Services logins on a server that offers no SASL: InspIRCd linked to Atheme without InspIRCd's
 * `sasl` module, so clients see no `sasl` capability. The bridge bot (from its config) and a Matrix
 * user's virtual user (from `login`) identify to NickServ after registering; a password NickServ
 * rejects is reported to its Matrix user. Passwords reach neither the bridge log nor Matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  eventually,
  type BridgeWorld,
  type IrcTestUser,
  type MatrixTestUser,
  type RunningServices,
} from '@trestle/testkit';
import {
  athemeLogged,
  roomWithBot,
  SERVICES_BOT as BOT,
  startServicesWorld,
  storeLogin,
  type ServicesWorld,
} from './services-fixture';

const CHANNEL = '#identify';
const BOT_PASSWORD = 'bot-nickserv-password';
const ALICE_ACCOUNT = 'aliceacct';
const ALICE_PASSWORD = 'alice-nickserv-password';
const DAVE_ACCOUNT = 'daveacct';
const DAVE_PASSWORD = 'dave-nickserv-password';
const DAVE_WRONG_PASSWORD = 'dave-mistyped-password';

let setup: ServicesWorld;
let services: RunningServices;
let world: BridgeWorld;
let bob: IrcTestUser;
let alice: MatrixTestUser;
let dave: MatrixTestUser;
let aliceDm: string;
let daveDm: string;
/** Other rooms the Matrix users saw (portals, DMs the bridge opened). */
const seen: Array<[MatrixTestUser, string]> = [];

const portalAlias = () => `#irc_test_${CHANNEL}:${world.synapse.serverName}`;

beforeAll(async () => {
  setup = await startServicesWorld({
    sasl: false,
    channel: CHANNEL,
    accounts: { [BOT]: BOT_PASSWORD, [ALICE_ACCOUNT]: ALICE_PASSWORD, [DAVE_ACCOUNT]: DAVE_PASSWORD },
    displayNames: ['Alice', 'Dave'],
  });
  ({ services, world, bob } = setup);
  [alice, dave] = setup.users as [MatrixTestUser, MatrixTestUser];
  [aliceDm, daveDm] = await Promise.all([roomWithBot(world, alice), roomWithBot(world, dave)]);
}, 180_000);

afterAll(() => setup?.stop());

describe('NickServ IDENTIFY where the server offers no SASL', () => {
  it('the bridge bot identifies to NickServ with the account from its config', async () => {
    expect((await bob.whois(BOT)).account).toBe(BOT);
    expect(athemeLogged(services, 'NickServ', BOT, 'IDENTIFY')).toBe(true);
    expect(athemeLogged(services, 'SaslServ', BOT, 'LOGIN (PLAIN)')).toBe(false);
  });

  it("a Matrix user's stored credentials identify their own nick to NickServ, and NickServ's answer reaches them", async () => {
    await storeLogin(world, alice, aliceDm, ALICE_ACCOUNT, ALICE_PASSWORD);
    seen.push([alice, await alice.joinRoom(portalAlias())]);
    await bob.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Alice[m]' && e.channel === CHANNEL,
      15_000,
    );
    await eventually(
      async () => (await bob.whois('Alice[m]')).account === ALICE_ACCOUNT,
      `WHOIS Alice[m] to show the account ${ALICE_ACCOUNT}`,
    );
    expect(athemeLogged(services, 'NickServ', ALICE_ACCOUNT, 'IDENTIFY')).toBe(true);
    expect(athemeLogged(services, 'SaslServ', ALICE_ACCOUNT, 'LOGIN (PLAIN)')).toBe(false);

    // NickServ's reply to Alice's nick is a private message: it opens a DM with NickServ's ghost.
    const invite = await alice.waitForInvite((i) => i.sender === world.botUserId, 20_000);
    const nickServ = await alice.joinRoom(invite.room_id);
    seen.push([alice, nickServ]);
    const answer = await alice.waitForEvent(
      nickServ,
      (e) => String(e.content.body).includes('identified'),
      15_000,
    );
    expect(answer.sender).toBe(`@irc_test.nickserv:${world.synapse.serverName}`);
    expect(String(answer.content.body)).toContain(ALICE_ACCOUNT);
  });

  it('a password NickServ rejects is reported to its Matrix user, who stays on IRC without an account', async () => {
    await storeLogin(world, dave, daveDm, DAVE_ACCOUNT, DAVE_WRONG_PASSWORD);
    seen.push([dave, await dave.joinRoom(portalAlias())]);
    const notice = await dave.waitForEvent(
      daveDm,
      (e) => e.sender === world.botUserId && String(e.content.body).includes('did not accept'),
      30_000,
    );
    const text = String(notice.content.body);
    expect(text).toContain('test:');
    expect(text).toContain(DAVE_ACCOUNT);
    expect(text).toContain('NickServ IDENTIFY');
    expect(text).toContain('Invalid password');
    expect(text).toContain('login test <account> <password>');
    expect((await bob.whois('Dave[m]')).account).toBeUndefined();
  });

  it('no password appears in the bridge log or in any room the Matrix users see', () => {
    const passwords = [BOT_PASSWORD, ALICE_PASSWORD, DAVE_PASSWORD, DAVE_WRONG_PASSWORD];
    for (const password of passwords) expect(world.bridgeLog()).not.toContain(password);
    for (const [user, room] of [[alice, aliceDm], [dave, daveDm], ...seen] as const) {
      // The login commands are the users' own messages; the bridge must never repeat a password.
      const fromOthers = user.timeline(room).filter((e) => e.sender !== user.userId);
      for (const password of passwords) expect(JSON.stringify(fromOthers)).not.toContain(password);
    }
  });
});
