/**
 * An IRC server outage longer than the retry budget: what Matrix users say meanwhile waits for the
 * connection and reaches IRC in order once the server is back, instead of being given up after a few
 * quick attempts. Real Synapse, real InspIRCd (stopped and started again on the same port).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { bridge } from '@trestle/irc';
import {
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type RunningIrcServer,
} from '@trestle/testkit';
import { findFreePort } from '../../packages/testkit/src/ports';

const LOBBY = '#lobby';
const BOT = 'TrestleBot';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let port: number;
let ircd: RunningIrcServer;
let world: BridgeWorld;
let alice: MatrixTestUser;
let bob: IrcTestUser | undefined;
let lobby: string;

const startIrcd = () =>
  startInspircd({ extraConfig: `<bind address="127.0.0.1" port="${port}" type="clients">` });
const connectBob = async () => {
  const user = await IrcTestUser.connect({ host: '127.0.0.1', port, nick: 'bob' });
  await user.join(LOBBY);
  return user;
};

beforeAll(async () => {
  port = await findFreePort();
  ircd = await startIrcd();
  bob = await connectBob();
  world = await startBridgeWorld({
    definition: bridge,
    // Two quick attempts: without the outage wait, the messages below would be given up in seconds.
    config: { bridge: { delivery: { max_attempts: 2, initial_backoff_ms: 200, max_backoff_ms: 1000 } } },
    network: {
      networks: [
        {
          name: 'test',
          host: '127.0.0.1',
          port,
          tls: false,
          botNick: BOT,
          relay: { enabled: true },
          floodControl: { linesPerSecond: 100, burst: 100 },
        },
      ],
    },
  });
  await world.startBridge();
  alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
  lobby = await alice.joinRoom(`#irc_test_${LOBBY}:${world.synapse.serverName}`);
  await bob.waitForMessage((e) => e.type === 'join' && e.nick === BOT, 30_000);
}, 180_000);

afterAll(async () => {
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-60).join('\n'));
  await alice?.stop();
  await bob?.quit();
  await world?.stop();
  await ircd?.stop();
});

it('messages sent from Matrix while the IRC server is down reach IRC in order once it is back, with no failure notice', async () => {
  await bob!.quit();
  bob = undefined;
  await ircd.stop();
  for (const text of ['first while down', 'second while down', 'third while down']) {
    await alice.sendText(lobby, text);
  }
  // Longer than two attempts with a one-second backoff could ever wait.
  await sleep(8_000);
  ircd = await startIrcd();
  bob = await connectBob();
  const lines: string[] = [];
  await bob.waitForMessage((e) => {
    if (e.type === 'privmsg' && e.nick === BOT && e.message?.includes('while down')) lines.push(e.message);
    return lines.length === 3;
  }, 60_000);
  expect(lines).toEqual([
    '<Alice> first while down',
    '<Alice> second while down',
    '<Alice> third while down',
  ]);
  const notices = (await alice.timeline(lobby)).filter(
    (e) =>
      e.type === 'm.room.message' &&
      e.content.msgtype === 'm.notice' &&
      /could not|failed/i.test(String(e.content.body)),
  );
  expect(notices).toEqual([]);
}, 120_000);
