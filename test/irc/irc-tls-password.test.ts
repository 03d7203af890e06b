/**
 * TLS and server passwords against a real InspIRCd (gnutls, a certificate from a throwaway CA,
 * `<connect password>`): the bridge connects when given the CA and the password, and refuses, with
 * an error that says what to change, a certificate it cannot verify or a wrong password.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bridge, type IrcNetworkConfig } from '@trestle/irc';
import {
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type RunningIrcServer,
} from '@trestle/testkit';
import { ircNetworkConfig, tryConnect } from './irc-connection-fixture';
import { testNetwork } from './test-network';

const CHANNEL = '#secure';
const BOT = 'TrestleBot';
const PASSWORD = 'let-the-bridge-in';

let ircd: RunningIrcServer;
let world: BridgeWorld;
let bob: IrcTestUser;
let alice: MatrixTestUser;
let room: string;

const networkConfig = (fields: Partial<IrcNetworkConfig>): IrcNetworkConfig =>
  ircNetworkConfig({ host: ircd.host, port: ircd.tlsPort!, serverPassword: PASSWORD, ...fields });

beforeAll(async () => {
  ircd = await startInspircd({ tls: true, connectPassword: PASSWORD });
  bob = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob', password: PASSWORD });
  await bob.join(CHANNEL);
  world = await startBridgeWorld({
    definition: bridge,
    network: {
      networks: [
        testNetwork(
          { host: ircd.host, port: ircd.tlsPort! },
          {
            tls: true,
            tlsCa: ircd.caCertificate,
            serverPassword: PASSWORD,
            botNick: BOT,
            relay: { enabled: true },
          },
        ),
      ],
    },
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  room = await alice.joinRoom(`#irc_test_${CHANNEL}:${world.synapse.serverName}`);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n'));
  await alice?.stop();
  await bob?.quit();
  await world?.stop();
  await ircd?.stop();
});

describe('TLS', () => {
  it('the bridge connects over TLS to a server whose certificate is signed by the CA given in tlsCa', async () => {
    await bob.waitForMessage((e) => e.type === 'join' && e.nick === BOT && e.channel === CHANNEL, 10_000);
    const whois = await bob.whois(BOT);
    expect(whois.secure).toBe(true);
  });

  it('messages cross both ways over the TLS connection', async () => {
    bob.say(CHANNEL, 'hello over TLS');
    await alice.waitForEvent(room, (e) => e.content.body === 'hello over TLS', 10_000);
    await alice.sendText(room, 'and back over TLS');
    await bob.waitForMessage(
      (e) => e.type === 'privmsg' && e.message === '<Alice> and back over TLS',
      10_000,
    );
  });

  it('a certificate from an unknown CA is refused with an error naming tlsCa and tlsSkipVerify', async () => {
    const err = await tryConnect(networkConfig({ tls: true }));
    expect(err?.message).toMatch(
      /TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
    expect(err?.message).toContain('give its CA in tlsCa, or set tlsSkipVerify');
  });

  it('tlsSkipVerify accepts the unverified certificate', async () => {
    expect(await tryConnect(networkConfig({ tls: true, tlsSkipVerify: true }))).toBeUndefined();
  });

  it('a CA that did not sign the certificate does not make it trusted', async () => {
    const other = await startInspircd({ tls: true });
    try {
      const err = await tryConnect(networkConfig({ tls: true, tlsCa: other.caCertificate }));
      expect(err?.message).toContain('is not trusted');
    } finally {
      await other.stop();
    }
  });
});

describe('server password', () => {
  it('the right server password is accepted on a plain connection too', async () => {
    expect(await tryConnect(networkConfig({ tls: false, port: ircd.port }))).toBeUndefined();
  });

  it("a wrong server password fails at once with the server's reason, not a timeout", async () => {
    const started = Date.now();
    const err = await tryConnect(networkConfig({ tls: false, port: ircd.port, serverPassword: 'wrong' }));
    expect(err?.message).toMatch(
      /^test: the server refused the connection: .*Access denied by configuration/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a missing server password fails the same way', async () => {
    const err = await tryConnect(networkConfig({ tls: false, port: ircd.port, serverPassword: undefined }));
    expect(err?.message).toContain('the server refused the connection');
  });
});
