/** Helpers for suites with Atheme services: NickServ accounts on IRC, stored credentials from Matrix. */
import { readFileSync } from 'node:fs';
import type { Logger } from '@trestle/core';
import { bridge, type IrcNetworkConfig } from '@trestle/irc';
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
import { tryConnect } from './irc-connection-fixture';
import { testNetwork } from './test-network';

/** The bridge bot's nick, and the services account it logs in to from its config. */
export const SERVICES_BOT = 'TrestleBot';

/** InspIRCd with Atheme, an IRC user `bob` in a channel, and the bridge with virtual users on. */
export interface ServicesWorld {
  ircd: RunningIrcServer;
  services: RunningServices;
  world: BridgeWorld;
  bob: IrcTestUser;
  /** Matrix users, one per display name asked for, in that order. */
  users: MatrixTestUser[];
  stop(): Promise<void>;
}

/**
 * Start a {@link ServicesWorld}: `accounts` (name -> password, including {@link SERVICES_BOT}'s) are
 * registered with NickServ first. `sasl: false` leaves SASL out of the ircd, so logins go through
 * NickServ IDENTIFY. `botLogsIn: false` leaves `sasl` out of the bot's config (its nick's account,
 * if registered, belongs to someone else); `connectPassword` makes the ircd require a server password,
 * which every client here (and the bridge, as `serverPassword`) then gives.
 */
export async function startServicesWorld(options: {
  sasl: boolean;
  channel: string;
  accounts: Record<string, string>;
  displayNames: string[];
  botLogsIn?: boolean;
  connectPassword?: string;
}): Promise<ServicesWorld> {
  // Whatever started is stopped again, newest first, also when a later step fails.
  const started: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of started.splice(0).reverse()) await stopOne();
  };
  try {
    const ircd = await startInspircd({
      links: [{ ...ATHEME_LINK, sasl: options.sasl }],
      serverId: '1AA',
      ...(options.connectPassword !== undefined && { connectPassword: options.connectPassword }),
    });
    started.push(() => ircd.stop());
    const services = await startAtheme(ircd);
    started.push(() => services.stop());
    await Promise.all(
      Object.entries(options.accounts).map(([account, password]) => registerAccount(ircd, account, password)),
    );
    const bob = await IrcTestUser.connect({
      host: ircd.host,
      port: ircd.port,
      nick: 'bob',
      password: ircd.connectPassword,
    });
    started.push(() => bob.quit());
    await bob.join(options.channel);
    const world = await startBridgeWorld({
      definition: bridge,
      network: {
        networks: [
          testNetwork(ircd, {
            botNick: SERVICES_BOT,
            ...(options.botLogsIn !== false && {
              sasl: { mechanism: 'PLAIN', account: SERVICES_BOT, password: options.accounts[SERVICES_BOT] },
            }),
            ...(ircd.connectPassword !== undefined && { serverPassword: ircd.connectPassword }),
            virtualUsers: { enabled: true, nickTemplate: '$DISPLAY[m]' },
          }),
        ],
        connectRate: { perSecond: 20, jitterMs: 20 },
        secretKey: 'an-e2e-secret-key-for-stored-passwords',
      },
    });
    started.push(async () => {
      if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
        process.stderr.write(world.bridgeLog().split('\n').slice(-80).join('\n'));
      await world.stop();
    });
    await world.startBridge();
    const users = await Promise.all(
      options.displayNames.map((displayName) =>
        MatrixTestUser.register(world.synapse, displayName.toLowerCase(), { displayName }),
      ),
    );
    started.push(async () => void (await Promise.all(users.map((u) => u.stop()))));
    return { ircd, services, world, bob, users, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Register `account` with NickServ from a throwaway IRC client using that nick, then leave. A
 * `certificateFingerprint` is added to the account (NickServ CERT ADD) for SASL EXTERNAL.
 */
export async function registerAccount(
  ircd: RunningIrcServer,
  account: string,
  password: string,
  certificateFingerprint?: string,
): Promise<void> {
  const user = await IrcTestUser.connect({
    host: ircd.host,
    port: ircd.port,
    nick: account,
    password: ircd.connectPassword,
  });
  const nickServSays = (text: string) =>
    user.waitForMessage(
      (e) => e.type === 'notice' && e.nick === 'NickServ' && e.message?.includes(text) === true,
      5000,
    );
  // Nicks may hold characters an e-mail address may not (`Dave[m]`).
  user.say('NickServ', `REGISTER ${password} ${account.replace(/[^a-z0-9]/gi, '') || 'user'}@example.org`);
  await nickServSays('registered');
  if (certificateFingerprint) {
    user.say('NickServ', `CERT ADD ${certificateFingerprint}`);
    await nickServSays(certificateFingerprint);
  }
  await user.quit();
}

/** Open a private room with the bridge bot. */
export async function roomWithBot(world: BridgeWorld, user: MatrixTestUser): Promise<string> {
  const room = await user.createRoom({ name: 'Bridge bot' });
  await user.invite(room, world.botUserId);
  await user.waitForEvent(
    room,
    (e) => e.type === 'm.room.member' && e.state_key === world.botUserId && e.content.membership === 'join',
  );
  return room;
}

/** Store services credentials with `!irc login` in `room` and wait for the bot's confirmation. */
export async function storeLogin(
  world: BridgeWorld,
  user: MatrixTestUser,
  room: string,
  account: string,
  password: string,
): Promise<void> {
  await user.sendText(room, `!irc login ${account} ${password}`);
  await user.waitForEvent(
    room,
    (e) => e.sender === world.botUserId && String(e.content.body).includes('Stored'),
  );
}

/**
 * Connect one bot connection with `config` and ask `observer` (WHOIS) which services account it is
 * logged in to. Resolves with the error the connection failed with, if any, and the account, if any.
 */
export async function accountOnConnect(
  config: IrcNetworkConfig,
  observer: IrcTestUser,
  log?: Logger,
): Promise<{ err: Error | undefined; account: string | undefined }> {
  let account: string | undefined;
  const err = await tryConnect(config, {
    ...(log && { log }),
    whileConnected: async (connection) => {
      account = (await observer.whois(connection.nick)).account;
    },
  });
  return { err, account };
}

/** True when Atheme's log shows `service` handling `what` for `account` (e.g. `LOGIN (PLAIN)`, `IDENTIFY`). */
export function athemeLogged(
  services: RunningServices,
  service: string,
  account: string,
  what: string,
): boolean {
  const line = new RegExp(`${service} ${account}/\\S+ ${what.replace(/[()]/g, '\\$&')}`, 'i');
  return line.test(readFileSync(services.logFile, 'utf8'));
}
