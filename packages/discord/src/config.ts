/**
 * The Discord bridge's `network` config section. The schema is the single source: validation,
 * the JSON Schema for editors and the sample config come from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HttpUrl, PatternString, Section } from '@trestle/core';

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
        'Guilds with at most this many members (besides the bot) have complete member lists on Matrix: a new portal gets every member who can see its channel, joins and role changes are followed, and what changed while the bridge was down is caught up at start (members are listed 1,000 per request). In a bigger guild a new portal gets the first this-many members Discord lists who can see the channel, and others appear when they first speak, react or type. The member names the listing gathers also keep Matrix users from posing as members on Discord: above the cap, or at 0, every Matrix user gets their Matrix id added to their webhook name. 0: no member lists.',
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
