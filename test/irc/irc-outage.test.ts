/**
 * A network outage between the bridge and its IRC server, longer than the retry budget: what Matrix
 * users say meanwhile waits for the connection and reaches IRC in order once it is back, instead of
 * being given up after a few quick attempts. Real Synapse, real InspIRCd; the bridge reaches the
 * server through a TCP relay the test cuts (connections dropped, new ones refused) and restores, so
 * the IRC user stays in the channel and sees everything that arrives.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
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
import { testNetwork } from './test-network';

const LOBBY = '#lobby';
const BOT = 'TrestleBot';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP relay to the ircd that can be cut and restored on the same port. */
class CuttableLink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** Drop every connection and refuse new ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let ircd: RunningIrcServer;
let link: CuttableLink;
let world: BridgeWorld;
let alice: MatrixTestUser;
let bob: IrcTestUser;
let lobby: string;

beforeAll(async () => {
  ircd = await startInspircd();
  link = new CuttableLink(await findFreePort(), { host: ircd.host, port: ircd.port });
  await link.up();
  bob = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'bob' });
  await bob.join(LOBBY);
  world = await startBridgeWorld({
    definition: bridge,
    // Two quick attempts: without the outage wait, the messages below would be given up in seconds.
    config: { bridge: { delivery: { max_attempts: 2, initial_backoff_ms: 200, max_backoff_ms: 1000 } } },
    network: {
      networks: [
        testNetwork({ host: '127.0.0.1', port: link.port }, { botNick: BOT, relay: { enabled: true } }),
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
  await link?.down();
  await ircd?.stop();
});

it('messages sent from Matrix while the IRC server cannot be reached arrive in order once it can, with no failure notice', async () => {
  await link.down();
  await bob.waitForMessage((e) => e.type === 'quit' && e.nick === BOT, 15_000);
  for (const text of ['first while down', 'second while down', 'third while down']) {
    await alice.sendText(lobby, text);
  }
  // Longer than two attempts with a one-second backoff could ever wait.
  await sleep(8_000);
  await link.up();
  const lines: string[] = [];
  await bob.waitForMessage((e) => {
    if (e.type === 'privmsg' && e.nick === BOT && e.message?.includes('while down')) lines.push(e.message);
    return lines.length === 3;
  }, 90_000);
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
}, 150_000);
