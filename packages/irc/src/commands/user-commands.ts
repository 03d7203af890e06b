/**
 * Per-user bot commands (management room or a DM with the bot): a Matrix user's own IRC nick,
 * connection and services account. Each takes an optional network name first when the bridge
 * serves several (`nick libera ally`); otherwise the first network is meant.
 */
import type { CommandContext, CommandDefinition } from '@trestle/core';
import type { IrcLogins } from '../logins/irc-logins';
import type { NetworkRuntime } from '../network-runtime';
import { nickRulesFrom, sanitiseNick } from '../virtual/nick-rules';

type Networks = () => NetworkRuntime[];

/** The network named by the first argument (consumed), else the first one. */
function pickNetwork(networks: NetworkRuntime[], args: string[]): NetworkRuntime {
  const named = networks.find((n) => n.bot.config.name === args[0]);
  if (named) args.shift();
  const network = named ?? networks[0];
  if (!network) throw new Error('no IRC network is configured');
  return network;
}

async function withNetwork(
  ctx: CommandContext,
  networks: Networks,
  run: (network: NetworkRuntime, args: string[]) => Promise<string>,
): Promise<void> {
  const args = [...ctx.args];
  try {
    await ctx.reply(await run(pickNetwork(networks(), args), args));
  } catch (err) {
    await ctx.reply(`⚠️ ${(err as Error).message}`);
  }
}

export function userCommands(networks: Networks, logins: () => IrcLogins): CommandDefinition[] {
  return [
    {
      name: 'nick',
      summary: 'Choose your IRC nick (kept for next time)',
      usage: 'nick [network] <nick>',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot, pool }, [wanted]) => {
          if (!wanted) return 'Usage: nick [network] <nick>';
          const nick = sanitiseNick(wanted, nickRulesFrom(bot.client.network.options));
          await logins().setPreferredNick(ctx.sender, bot.config.name, nick);
          const own = pool.get(ctx.sender);
          if (!own?.online) return `Your nick on ${bot.config.name} will be ${nick} when you next connect.`;
          const confirmed = await (await own.ensureOnline()).changeNick(nick);
          return `You are now ${confirmed} on ${bot.config.name}.`;
        }),
    },
    {
      name: 'reconnect',
      summary: 'Drop and reopen your IRC connection',
      usage: 'reconnect [network]',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot, pool }) => {
          const own = pool.get(ctx.sender);
          if (!own)
            return `You have no connection to ${bot.config.name} yet; say something in a bridged room.`;
          await own.disconnect('Reconnecting');
          own.touch();
          const connection = await own.ensureOnline();
          return `Reconnected to ${bot.config.name} as ${connection.nick}.`;
        }),
    },
    {
      name: 'quit',
      summary: 'Disconnect from IRC until you next write in a bridged room',
      usage: 'quit [network]',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot, pool }) => {
          const own = pool.get(ctx.sender);
          if (!own?.active) return `You are not connected to ${bot.config.name}.`;
          await own.disconnect('Quit');
          return `Disconnected from ${bot.config.name}.`;
        }),
    },
    {
      name: 'whois',
      summary: 'Ask IRC who a nick is',
      usage: 'whois [network] <nick>',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot, pool }, [nick]) => {
          if (!nick) return 'Usage: whois [network] <nick>';
          const own = pool.get(ctx.sender);
          const connection = own?.online ? await own.ensureOnline() : bot;
          const w = await connection.whois(nick);
          if (w.error || !w.ident) return `${nick} is not on ${bot.config.name}.`;
          return [
            `${w.nick} is ${w.ident}@${w.hostname ?? '?'} (${w.real_name ?? ''})`,
            w.account && `logged in as ${w.account}`,
            w.channels && `on ${w.channels}`,
            w.server && `via ${w.server}`,
            w.idle !== undefined && `idle ${w.idle}s`,
          ]
            .filter(Boolean)
            .join(', ');
        }),
    },
    {
      name: 'rooms',
      summary: 'List your IRC connections and the channels you are in',
      usage: 'rooms',
      run: async (ctx) => {
        const lines = networks().map(({ bot, pool }) => {
          const own = pool.get(ctx.sender);
          if (!own?.online) return `${bot.config.name}: not connected`;
          const channels = own.joinedChannels;
          return `${bot.config.name}: ${own.nick} in ${channels.length ? channels.join(', ') : 'no channels'}`;
        });
        await ctx.reply(lines.join('\n'));
      },
    },
    {
      name: 'login',
      summary: 'Store your services account for SASL/NickServ (encrypted); send it in a DM with the bot',
      usage: 'login [network] <account> <password>',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot }, [account, password]) => {
          if (!account || !password) return 'Usage: login [network] <account> <password>';
          // If services ever refuse it, the user is told here (where they chose to talk to the bot).
          await logins().setAccount(ctx.sender, bot.config.name, { account, password }, ctx.roomId);
          return `Stored your account ${account} for ${bot.config.name}; it is used from your next connection (say "reconnect"). Consider deleting your message with the password.`;
        }),
    },
    {
      name: 'logout',
      summary: 'Forget your stored services account',
      usage: 'logout [network]',
      run: (ctx) =>
        withNetwork(ctx, networks, async ({ bot }) => {
          await logins().forgetAccount(ctx.sender, bot.config.name);
          return `Forgot your account for ${bot.config.name}.`;
        }),
    },
  ];
}
