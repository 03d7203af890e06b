/**
 * Two InspIRCd servers linked with spanning tree, for netsplit tests: clients on either server
 * see each other until {@link TwoServerNetwork.split} breaks the link (an operator's SQUIT on
 * server A, so A's clients see "irc-a… irc-b…" QUITs) and {@link TwoServerNetwork.link} restores it.
 */
import { findFreePort } from '../ports';
import { startInspircd, type RunningIrcServer } from './inspircd';
import { IrcTestUser } from './irc-test-user';

export interface TwoServerNetwork {
  a: RunningIrcServer;
  b: RunningIrcServer;
  /** Link B to A (done once at start) and resolve when A lists B among its links. */
  link(): Promise<void>;
  /** SQUIT B from A and resolve when A no longer lists it. */
  split(): Promise<void>;
  /** Stop both servers. */
  stop(): Promise<void>;
}

const LINK_PASSWORD = 'trestle-server-link';

export async function startTwoServerNetwork(): Promise<TwoServerNetwork> {
  const bPort = await findFreePort();
  const a = await startInspircd({
    serverName: 'irc-a.trestle.test',
    serverId: '1AA',
    acceptLinks: true,
    links: [{ name: 'irc-b.trestle.test', port: bPort, password: LINK_PASSWORD }],
  });
  let b: RunningIrcServer | undefined;
  let oper: IrcTestUser | undefined;
  const stop = async () => {
    await oper?.quit();
    await Promise.all([a.stop(), b?.stop()]);
  };
  try {
    b = await startInspircd({
      serverName: 'irc-b.trestle.test',
      serverId: '2BB',
      serverPort: bPort,
      links: [{ name: a.serverName, port: a.serverPort!, password: LINK_PASSWORD }],
    });
    oper = await IrcTestUser.connect({ host: a.host, port: a.port, nick: 'linkoper' });
    await oper.command(`OPER ${a.operName} ${a.operPassword}`, (r) => / 381 /.test(r));
  } catch (err) {
    await stop();
    throw err;
  }
  const operOnA = oper;
  const bName = b.serverName;
  const linked = async () => {
    const replies = await operOnA.command('LINKS', (r) => / 365 /.test(r));
    return replies.some((r) => / 364 \S+ irc-b\.trestle\.test /.test(r));
  };
  const until = async (want: boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while ((await linked()) !== want) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const network: TwoServerNetwork = {
    a,
    b,
    async link() {
      operOnA.raw(`CONNECT ${bName}`);
      await until(true, `${bName} to link to ${a.serverName}`);
    },
    async split() {
      operOnA.raw(`SQUIT ${bName} :netsplit test`);
      await until(false, `${bName} to split from ${a.serverName}`);
    },
    stop,
  };
  try {
    await network.link();
  } catch (err) {
    await stop();
    throw err;
  }
  return network;
}
