/**
 * One Matrix room bridged to IRC, Discord and Telegram at once: a real Synapse with three appservice
 * registrations, a real InspIRCd, the Discord and Telegram simulators, and the three bridges running in
 * this process with SQLite stores. Shared by the cross-network suite and `pnpm demo`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningBridge } from '@trestle/core';
import { bridge as discordBridge } from '@trestle/discord';
import { bridge as ircBridge } from '@trestle/irc';
import { bridge as telegramBridge } from '@trestle/telegram';
import {
  DiscordSimulator,
  IrcTestUser,
  startInspircd,
  startSynapse,
  TelegramSimulator,
  type DiscordChannelRecord,
  type DiscordUserRecord,
  type MatrixTestUser,
  type RunningIrcServer,
  type SynapseHandle,
} from '@trestle/testkit';
import { prepareBridge, type PreparedBridge } from './bridge-process';

export type NetworkName = 'irc' | 'discord' | 'telegram';
export const NETWORKS: readonly NetworkName[] = ['irc', 'discord', 'telegram'];

/** The IRC network's name in the bridge config, and the channel the room is linked to. */
export const IRC_NETWORK = 'demo';
export const IRC_CHANNEL = '#trestle';
export const IRC_BOT_NICK = 'TrestleBot';
const MANAGE_WEBHOOKS = 1n << 29n;

type TelegramUser = ReturnType<TelegramSimulator['addUser']>;

export interface RunningNetworkBridge {
  prepared: PreparedBridge;
  running?: RunningBridge;
  botUserId: string;
}

export interface CrossNetworkWorld {
  dir: string;
  synapse: SynapseHandle;
  ircd: RunningIrcServer;
  discord: DiscordSimulator;
  telegram: TelegramSimulator;
  /** The Discord text channel the room is linked to. */
  discordChannel: DiscordChannelRecord;
  /** The Telegram supergroup the room is linked to. */
  telegramChatId: number;
  /** One person on each remote network. */
  people: { irc: IrcTestUser; discord: DiscordUserRecord; telegram: TelegramUser };
  bridges: Record<NetworkName, RunningNetworkBridge>;
  /** Each bridge's log so far, for failure messages. */
  bridgeLogs(): string;
  stop(): Promise<void>;
}

export interface CrossNetworkWorldOptions {
  /** Told about each start-up step, for progress output. */
  onProgress?: (step: string) => void;
  /** Nicknames/names of the three remote people. */
  names?: { irc?: string; discord?: string; telegram?: string };
}

/** Start every server and simulator and the three bridges (the room is linked by {@link linkRoom}). */
export async function startCrossNetworkWorld(
  options: CrossNetworkWorldOptions = {},
): Promise<CrossNetworkWorld> {
  const progress = options.onProgress ?? (() => undefined);
  const names = { irc: 'bob', discord: 'Dana', telegram: 'Tom', ...options.names };
  const dir = mkdtempSync(join(tmpdir(), 'trestle-cross-network-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    progress('starting the IRC server (InspIRCd)');
    const ircd = await startInspircd();
    cleanups.push(() => ircd.stop());
    const ircPerson = await IrcTestUser.connect({ host: ircd.host, port: ircd.port, nick: names.irc });
    cleanups.push(() => ircPerson.quit());
    await ircPerson.join(IRC_CHANNEL);

    progress('starting the Discord simulator');
    const discord = await DiscordSimulator.start();
    cleanups.push(() => discord.stop());
    const guild = discord.createGuild({ name: 'Trestle Demo' });
    const discordChannel = discord.createChannel(guild.id, { name: 'general', topic: 'Bridged to Matrix' });
    // A moderator (Manage Webhooks) may approve plumbing the channel, as the Discord bridge asks by default.
    const moderator = discord.createRole(guild.id, { name: 'Moderator', permissions: MANAGE_WEBHOOKS });
    const discordPerson = discord.addMember(guild.id, {
      username: names.discord.toLowerCase(),
      globalName: names.discord,
      roles: [moderator.id],
    });

    progress('starting the Telegram simulator');
    const telegram = await TelegramSimulator.start();
    cleanups.push(() => telegram.stop());
    const telegramPerson = telegram.addUser({
      first_name: names.telegram,
      username: names.telegram.toLowerCase(),
    });
    const telegramChatId = telegram.createChat({
      type: 'supergroup',
      title: 'Trestle Demo',
      members: [telegramPerson.id],
      bot: 'administrator',
    }).id;

    progress('writing the three bridges’ configs and appservice registrations');
    const networkSections: Record<NetworkName, Record<string, unknown>> = {
      irc: {
        networks: [
          {
            name: IRC_NETWORK,
            host: ircd.host,
            port: ircd.port,
            tls: false,
            botNick: IRC_BOT_NICK,
            relay: { enabled: true, reactions: true },
            floodControl: { linesPerSecond: 100, burst: 100 },
          },
        ],
      },
      discord: { botToken: discord.token, apiUrl: discord.apiUrl, cdnUrl: discord.baseUrl },
      telegram: { bot_token: telegram.token, api_root: telegram.apiRoot, poll_timeout_seconds: 5 },
    };
    const definitions = { irc: ircBridge, discord: discordBridge, telegram: telegramBridge };
    const prepared = {} as Record<NetworkName, PreparedBridge>;
    for (const network of NETWORKS) {
      const bridgeDir = join(dir, network);
      mkdirSync(bridgeDir);
      prepared[network] = await prepareBridge({
        definition: definitions[network],
        network: networkSections[network],
        dir: bridgeDir,
        // Every side then shows where a relayed person comes from: <Dana[d]> on IRC, "bob[i]" on Telegram.
        ghostDisplayName: `{name}[${network[0]}]`,
      });
    }

    progress('starting Synapse with the three registrations');
    const synapse = await startSynapse({ registrations: NETWORKS.map((n) => prepared[n].registrationPath) });
    cleanups.push(() => synapse.stop());

    const bridges = {} as Record<NetworkName, RunningNetworkBridge>;
    for (const network of NETWORKS) {
      progress(`starting the ${network} bridge`);
      const entry: RunningNetworkBridge = {
        prepared: prepared[network],
        botUserId: prepared[network].botUserId(synapse.serverName),
      };
      entry.running = await prepared[network].start(synapse.url, synapse.serverName);
      cleanups.push(async () => {
        const running = entry.running;
        entry.running = undefined;
        await running?.stop();
      });
      bridges[network] = entry;
    }

    return {
      dir,
      synapse,
      ircd,
      discord,
      telegram,
      discordChannel,
      telegramChatId,
      people: { irc: ircPerson, discord: discordPerson, telegram: telegramPerson },
      bridges,
      bridgeLogs: () =>
        NETWORKS.map(
          (n) => `--- ${n} bridge ---\n${prepared[n].log().split('\n').slice(-40).join('\n')}`,
        ).join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The room and the three remote chats were not linked in time; names the bridge that did not answer. */
export class LinkError extends Error {
  constructor(
    readonly network: NetworkName,
    cause: unknown,
  ) {
    super(`linking the room to ${network} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LinkError';
  }
}

/**
 * Plumb `roomId` into the IRC channel, the Discord channel and the Telegram group: invite each bridge bot
 * and run its `link` command, as a room admin would. `admin` must be allowed to invite in the room.
 */
export async function linkRoom(
  world: CrossNetworkWorld,
  admin: MatrixTestUser,
  roomId: string,
): Promise<void> {
  // Telegram bridges a chat only after one of its admins approves with /bridge (the bridge's default).
  const approval = world.telegram.asUser(world.people.telegram.id).send(world.telegramChatId, '/bridge');
  await world.telegram.waitForMessage(
    world.telegramChatId,
    (m) =>
      m.from?.id === world.telegram.bot.id &&
      (m as { reply_to_message?: { message_id: number } }).reply_to_message?.message_id ===
        approval.message_id,
    15_000,
  );
  const targets: Record<NetworkName, string> = {
    irc: `${IRC_NETWORK}/${IRC_CHANNEL}`,
    discord: world.discordChannel.id,
    telegram: String(world.telegramChatId),
  };
  const prefixes: Record<NetworkName, string> = { irc: '!irc', discord: '!discord', telegram: '!telegram' };
  for (const network of NETWORKS) {
    const bot = world.bridges[network].botUserId;
    try {
      await admin.invite(roomId, bot);
      await admin.waitForEvent(
        roomId,
        (e) => e.type === 'm.room.member' && e.state_key === bot && e.content.membership === 'join',
        20_000,
      );
      // Moderator power, as plumbing guides ask: a bridge redacts as the bot when it cannot name who
      // deleted a message (Discord's delete events carry no author).
      await admin.client.setPowerLevel(roomId, bot, 50);
      const command = `${prefixes[network]} link ${targets[network]}`;
      let answer = await sendAndAwaitAnswer(admin, roomId, bot, command);
      const code = /!matrix approve (\w+)/.exec(answer)?.[1];
      if (network === 'discord' && code) {
        await approveOnDiscord(world, code);
        answer = await sendAndAwaitAnswer(admin, roomId, bot, command);
      }
      if (!answer.includes('now bridged')) throw new Error(`the bot answered: ${answer}`);
    } catch (error) {
      throw new LinkError(network, error);
    }
  }
}

/** Send a bot command and return the bot's next answer in the room. */
async function sendAndAwaitAnswer(
  user: MatrixTestUser,
  roomId: string,
  bot: string,
  command: string,
): Promise<string> {
  const sent = await user.sendText(roomId, command);
  const own = await user.waitForEvent(roomId, (e) => e.event_id === sent);
  const after = user.timeline(roomId).indexOf(own);
  const answer = await user.waitForEvent(
    roomId,
    (e) => e.sender === bot && e.type === 'm.room.message' && user.timeline(roomId).indexOf(e) > after,
    20_000,
  );
  return String(answer.content.body);
}

/** The Discord moderator answers the bridge's plumbing request in the channel (`!matrix approve <code>`). */
async function approveOnDiscord(world: CrossNetworkWorld, code: string): Promise<void> {
  const { discord, discordChannel, people } = world;
  const request = discord.asUser(people.discord.id).send(discordChannel.id, `!matrix approve ${code}`);
  await discord.waitForMessage(
    discordChannel.id,
    (m) =>
      m.authorId === discord.botUserId &&
      m.content.startsWith('Approved') &&
      BigInt(m.id) > BigInt(request.id),
    15_000,
  );
}
