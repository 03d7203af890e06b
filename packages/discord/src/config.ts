/**
 * The Discord bridge's `network` config section. The schema is the single source: validation,
 * the JSON Schema for editors and the sample config come from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HttpUrl, PatternString, Section } from '@trestle/core';

/** Default of `network.mirrorGuildMembers`; why this many is in docs/discord.md. */
export const MIRROR_GUILD_MEMBERS = 1000;

const Snowflake = (description: string) =>
  PatternString('^\\d{15,21}$', 'a Discord id (digits)', { description });

export const DiscordMentionPolicySchema = Section(
  {
    everyone: Type.Boolean({
      default: false,
      description:
        'Let Matrix @room become a pinging @everyone on Discord. Off: it is sent as harmless text.',
    }),
    roles: Type.Boolean({ default: false, description: 'Let Matrix messages ping Discord roles.' }),
  },
  'Which Discord mentions Matrix messages may trigger (allowed_mentions); user pills always ping their user.',
);

export const DiscordConfigSchema = Section(
  {
    botToken: Type.String({
      minLength: 1,
      description: 'Bot token from the Discord developer portal (Bot tab).',
    }),
    applicationId: Type.Optional(Snowflake('Application id, used for the invite URL in docs and logs.')),
    guilds: Type.Array(Snowflake('A guild (server) id'), {
      default: [],
      description: 'Guilds the bridge may bridge; empty means every guild the bot is in.',
    }),
    webhookName: Type.String({
      minLength: 1,
      maxLength: 80,
      default: 'Trestle bridge',
      description:
        'Name of the per-channel webhook Matrix users speak through (Discord forbids "discord" and "clyde" in it).',
    }),
    displayNameSuffix: Type.String({
      maxLength: 20,
      default: ' (Matrix)',
      description: 'Appended to Matrix display names on Discord so nobody can pass for a Discord member.',
    }),
    mentions: DiscordMentionPolicySchema,
    messageContentIntent: Type.Boolean({
      default: true,
      description:
        'Request the privileged Message Content intent (enable it in the developer portal). Without it the bridge sees only messages that mention the bot.',
    }),
    linkApproval: Type.Boolean({
      default: true,
      description:
        'Plumbing with the link command also needs a yes on Discord: someone with Manage Webhooks or Manage Channels in the channel sends the code the bot posts there.',
    }),
    channelInfoFromMatrix: Type.Boolean({
      default: true,
      description:
        'Matrix room name and topic changes rename the Discord channel (as a lowercase slug) and set its topic. The bot needs Manage Channels; without it the room gets a notice. Off: they stay on Matrix.',
    }),
    maxGuildMembers: Type.Integer({
      minimum: 0,
      default: 10000,
      description:
        'Guilds with at most this many members (besides the bot) are listed at start (1,000 members per request) for the names their members go by, which keeps Matrix users from posing as members on Discord. In a bigger guild, or at 0, every Matrix user gets their Matrix id added to their webhook name. The names cost about 350 bytes of memory per member.',
    }),
    mirrorGuildMembers: Type.Integer({
      minimum: 0,
      default: MIRROR_GUILD_MEMBERS,
      description:
        "Guilds with at most this many members (besides the bot, and no more than maxGuildMembers) have complete member lists on Matrix: every member who can see a portal's channel joins it as a ghost, joins and role changes are followed, and what changed while the bridge was down is caught up at start. Each such member is a Matrix user in every portal they can see, which costs the homeserver far more than the bridge. In a bigger guild members appear in a portal when they first speak, react or type. 0: no member lists.",
    }),
    globalRequestsPerSecond: Type.Integer({
      minimum: 1,
      default: 50,
      description:
        "REST requests per second the bot may make in all. Discord's global limit is 50; raise it only if Discord raised it for your bot.",
    }),
    publicMediaUrl: Type.Optional(
      HttpUrl({
        description:
          'Public base URL under which Discord can fetch Matrix avatars as <base>/<server>/<media id> (a media proxy). Without it, Matrix users have no avatar on Discord.',
      }),
    ),
    apiUrl: Type.Optional(
      HttpUrl({ description: 'REST base (default https://discord.com/api); for tests and proxies.' }),
    ),
    cdnUrl: Type.Optional(
      HttpUrl({ description: 'CDN base (default https://cdn.discordapp.com); for tests and proxies.' }),
    ),
  },
  'Discord connection and bridging behaviour.',
);

export type DiscordConfig = Static<typeof DiscordConfigSchema>;
