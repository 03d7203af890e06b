/**
 * The virtual-user pool against a real InspIRCd (no homeserver needed): the idle policy, reconnect
 * after the server drops a user, the connection limit and the echo-loop guard's view of nicks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LoginRecord, LoginStore, Logger } from '@trestle/core';
import { ConnectGate, IrcConnection, IrcLogins, parseIrcConfig, VirtualUserPool } from '@trestle/irc';
import { IrcTestUser, startInspircd, type RunningIrcServer } from '@trestle/testkit';

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
} as unknown as Logger;

const rows = new Map<string, LoginRecord>();
const loginStore: LoginStore = {
  get: async (id) => rows.get(id),
  put: async (r) => void rows.set(r.userId, r),
  remove: async (id) => void rows.delete(id),
};

let ircd: RunningIrcServer;
let bot: IrcConnection;
let gate: ConnectGate;
let pool: VirtualUserPool;
let oper: IrcTestUser;

beforeAll(async () => {
  ircd = await startInspircd();
  const config = parseIrcConfig({
    networks: [
      {
        name: 'pool',
        host: ircd.host,
        port: ircd.port,
        tls: false,
        botNick: 'PoolBot',
        virtualUsers: { enabled: true, maxConnections: 2, idleMinutes: 1 },
      },
    ],
    connectRate: { perSecond: 50, jitterMs: 10, reconnectInitialMs: 200, reconnectMaxMs: 1000 },
  });
  bot = new IrcConnection(config.networks[0]!, quiet, () => undefined);
  gate = new ConnectGate(config.connectRate);
  pool = new VirtualUserPool(config.networks[0]!, {
    bot,
    gate,
    logins: new IrcLogins(loginStore, undefined),
    log: quiet,
    reconnect: { initialMs: config.connectRate.reconnectInitialMs, maxMs: config.connectRate.reconnectMaxMs },
    onPrivateMessage: () => undefined,
  });
  [oper] = await Promise.all([
    IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: 'oper' }),
    bot.start(),
  ]);
  oper.raw(`OPER ${ircd.operName} ${ircd.operPassword}`);
  await oper.join('#pool');
}, 60_000);

afterAll(async () => {
  gate?.close();
  await pool?.stop();
  await bot?.stop();
  await oper?.quit();
  await ircd?.stop();
});

describe('virtual-user pool', () => {
  it('a user idle longer than the policy is disconnected, and comes back when active again', async () => {
    const vu = pool.acquire({ userId: '@idle:hs', displayName: 'Idler' })!;
    await vu.join('#pool');
    await oper.waitForMessage((e) => e.type === 'join' && e.nick === 'Idler[m]');
    expect(await pool.disconnectIdle(Date.now() + 30_000)).toBe(0);
    expect(await pool.disconnectIdle(Date.now() + 61_000)).toBe(1);
    await oper.waitForMessage((e) => e.type === 'quit' && e.nick === 'Idler[m]');
    expect(vu.online).toBe(false);
    const seen = oper.log.length;
    pool.acquire({ userId: '@idle:hs', displayName: 'Idler' });
    await vu.ensureOnline();
    await oper.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Idler[m]' && oper.log.indexOf(e) >= seen,
      10_000,
    );
  });

  it('a user the server drops reconnects by itself with backoff and rejoins its channels', async () => {
    const vu = pool.acquire({ userId: '@dropped:hs', displayName: 'Dropped' })!;
    await vu.join('#pool');
    const seen = oper.log.length;
    oper.raw('KILL Dropped[m] :testing reconnects');
    await oper.waitForMessage((e) => e.type === 'quit' && e.nick === 'Dropped[m]');
    const rejoin = await oper.waitForMessage(
      (e) => e.type === 'join' && e.nick === 'Dropped[m]' && oper.log.indexOf(e) >= seen,
      10_000,
    );
    expect(rejoin.channel).toBe('#pool');
  });

  it('no connection is given beyond the network limit', () => {
    expect(pool.activeCount).toBe(2);
    expect(pool.acquire({ userId: '@third:hs', displayName: 'Third' })).toBeUndefined();
  });

  it('knows the nicks of virtual users (so the bot does not bridge them back) and whom they belong to', () => {
    expect(pool.isBridgedNick('dropped[M]')).toBe(true);
    expect(pool.matrixUserOfNick(bot.fold('Idler[m]'))).toBe('@idle:hs');
    expect(pool.isBridgedNick('oper')).toBe(false);
  });
});
