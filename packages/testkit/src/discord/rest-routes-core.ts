/** REST routes for the gateway, the application, users, guilds, members and channels. */
import {
  ChannelType,
  GatewayIntentBits,
  PermissionFlagsBits,
  type APIApplication,
  type RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import { applicationFlagsFor } from './gateway';
import { invalidFormBody, missingAccess, missingPermissions, sublimited, threadArchived } from './errors';
import type { ChannelEditField, ChannelEditLimits } from './channel-edit-limits';
import type { ChannelRecord } from './records';
import { toApiChannel, toApiEmoji, toApiGuild, toApiMember, toApiRole, toApiUser } from './serialize';
import { compareSnowflakes, snowflakeTime } from './snowflake';
import type { DiscordActions } from './actions';
import type { RestRouter } from './rest-router';
import type { DiscordWorld } from './world';

export interface CoreRouteContext {
  world: DiscordWorld;
  actions: DiscordActions;
  applicationId: string;
  gatewayUrl: () => string;
  enabledPrivilegedIntents: () => number;
  /** Discord's per-channel limit on name and topic changes. */
  channelEdits: ChannelEditLimits;
}

export function addCoreRoutes(router: RestRouter, ctx: CoreRouteContext): void {
  const { world } = ctx;
  const guildOfBot = (guildId: string) => {
    const guild = world.guild(guildId);
    if (!guild.members.has(world.botUserId)) throw missingAccess();
    return guild;
  };

  router.add('GET', '/gateway', () => ({ url: ctx.gatewayUrl() }), 'none');
  router.add('GET', '/gateway/bot', (): RESTGetAPIGatewayBotResult => ({
    url: ctx.gatewayUrl(),
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
  }));
  router.add('GET', '/applications/@me', (): Partial<APIApplication> => {
    const bot = world.user(world.botUserId);
    const flags = applicationFlagsFor(ctx.enabledPrivilegedIntents());
    return {
      id: ctx.applicationId,
      name: bot.username,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags,
      flags_new: String(flags),
      team: null,
      bot: toApiUser(world, world.botUserId),
    };
  });

  router.add('GET', '/users/@me', () => toApiUser(world, world.botUserId));
  router.add('GET', '/users/:user_id', ({ params }) => toApiUser(world, params.user_id!));
  router.add('GET', '/users/@me/guilds', () =>
    [...world.guilds.values()]
      .filter((g) => g.members.has(world.botUserId))
      .map((g) => ({ id: g.id, name: g.name, icon: g.icon, owner: false, permissions: '0', features: [] })),
  );

  router.add('GET', '/guilds/:guild_id', ({ params }) => toApiGuild(guildOfBot(params.guild_id!)));
  router.add('GET', '/guilds/:guild_id/channels', ({ params }) => {
    guildOfBot(params.guild_id!);
    return [...world.channels.values()]
      .filter((c) => c.guildId === params.guild_id && !c.parentId)
      .map((c) => toApiChannel(world, c));
  });
  // Every active thread of the guild the bot can see; `members` lists the threads the bot joined (none here).
  router.add('GET', '/guilds/:guild_id/threads/active', ({ params }) => {
    guildOfBot(params.guild_id!);
    const threads = [...world.channels.values()].filter(
      (c) =>
        c.guildId === params.guild_id &&
        c.type === ChannelType.PublicThread &&
        !c.thread?.archived &&
        (world.botPermissions(c.id) & PermissionFlagsBits.ViewChannel) !== 0n,
    );
    return { threads: threads.map((t) => toApiChannel(world, t)), members: [] };
  });
  // A channel's archived public threads, most recently archived first, `before` an ISO 8601 timestamp.
  router.add('GET', '/channels/:channel_id/threads/archived/public', ({ params, query }) => {
    const channel = world.channel(params.channel_id!);
    world.requireBotPermission(
      channel.id,
      PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory,
    );
    if (channel.type !== ChannelType.GuildText) throw invalidFormBody('not a text channel');
    const limit = clampLimit(query.get('limit'), 1, 100, 50);
    const before = archivedBefore(query.get('before'));
    const archived = [...world.channels.values()]
      .filter(
        (c) =>
          c.parentId === channel.id &&
          c.thread?.archived === true &&
          Date.parse(c.thread.archiveTimestamp) < before,
      )
      .sort(
        (a, b) =>
          Date.parse(b.thread!.archiveTimestamp) - Date.parse(a.thread!.archiveTimestamp) ||
          compareSnowflakes(b.id, a.id),
      );
    return {
      threads: archived.slice(0, limit).map((t) => toApiChannel(world, t)),
      members: [],
      has_more: archived.length > limit,
    };
  });
  router.add('GET', '/guilds/:guild_id/roles', ({ params }) =>
    [...guildOfBot(params.guild_id!).roles.values()].map(toApiRole),
  );
  router.add('GET', '/guilds/:guild_id/emojis', ({ params }) =>
    [...guildOfBot(params.guild_id!).emojis.values()].map(toApiEmoji),
  );
  router.add('GET', '/guilds/:guild_id/members/:user_id', ({ params }) => {
    guildOfBot(params.guild_id!);
    return toApiMember(world, world.member(params.guild_id!, params.user_id!));
  });
  // Sorted by user id; only for applications whose Server Members switch is on in the portal.
  router.add('GET', '/guilds/:guild_id/members', ({ params, query }) => {
    const guild = guildOfBot(params.guild_id!);
    if ((ctx.enabledPrivilegedIntents() & GatewayIntentBits.GuildMembers) === 0) throw missingAccess();
    const limit = clampLimit(query.get('limit'), 1, 1000, 1);
    const after = BigInt(snowflakeParam(query.get('after') ?? '0', 'after'));
    return [...guild.members.values()]
      .filter((m) => BigInt(m.userId) > after)
      .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
      .slice(0, limit)
      .map((m) => toApiMember(world, m));
  });

  router.add('GET', '/channels/:channel_id', ({ params }) => {
    const channel = world.channel(params.channel_id!);
    world.requireBotPermission(channel.id, PermissionFlagsBits.ViewChannel);
    return toApiChannel(world, channel);
  });
  router.add('PATCH', '/channels/:channel_id', ({ params, body }) => {
    const channel = world.channel(params.channel_id!);
    if (channel.thread) return patchThread(ctx, channel, body.json);
    world.requireBotPermission(channel.id, PermissionFlagsBits.ManageChannels);
    const { name, topic } = body.json as { name?: unknown; topic?: unknown };
    const newName = name === undefined ? undefined : channelName(name);
    const newTopic = topic === undefined ? undefined : typeof topic === 'string' ? topic : null;
    const changed: ChannelEditField[] = [];
    if (newName !== undefined && newName !== channel.name) changed.push('name');
    if (newTopic !== undefined && newTopic !== channel.topic) changed.push('topic');
    const waitMs = changed.length > 0 ? ctx.channelEdits.take(channel.id, changed) : undefined;
    if (waitMs !== undefined) throw sublimited(waitMs / 1000);
    if (newName !== undefined) channel.name = newName;
    if (newTopic !== undefined) channel.topic = newTopic;
    ctx.actions.channelUpdated(channel);
    return toApiChannel(world, channel);
  });
}

/**
 * Modify Channel on a thread, by Discord's rules: an archived thread takes no change unless the
 * request unarchives it (400, code 50083); unarchiving needs Send Messages in Threads, or Manage
 * Threads when the thread is locked; archiving and renaming need Manage Threads or having started
 * the thread, locking and unlocking Manage Threads.
 */
function patchThread(ctx: CoreRouteContext, thread: ChannelRecord, json: unknown) {
  const { world } = ctx;
  const state = thread.thread!;
  const { archived, locked, name } = json as { archived?: unknown; locked?: unknown; name?: unknown };
  world.requireBotPermission(thread.id, PermissionFlagsBits.ViewChannel);
  const may = (permission: bigint) => (world.botPermissions(thread.id) & permission) === permission;
  const managesThreads = may(PermissionFlagsBits.ManageThreads);
  const startedIt = thread.ownerId === world.botUserId;
  if (state.archived && archived !== false) throw threadArchived();
  const nextLocked = typeof locked === 'boolean' ? locked : state.locked;
  const nextArchived = typeof archived === 'boolean' ? archived : state.archived;
  const newName = name === undefined || name === thread.name ? undefined : channelName(name);
  if (nextLocked !== state.locked && !managesThreads) throw missingPermissions();
  const mayUnarchive = managesThreads || (!state.locked && may(PermissionFlagsBits.SendMessagesInThreads));
  if (state.archived && !nextArchived && !mayUnarchive) throw missingPermissions();
  if (((!state.archived && nextArchived) || newName !== undefined) && !managesThreads && !startedIt)
    throw missingPermissions();
  if (newName !== undefined) thread.name = newName;
  if (nextArchived !== state.archived || nextLocked !== state.locked)
    ctx.actions.setArchived(thread, nextArchived, nextLocked);
  else if (newName !== undefined) ctx.actions.threadUpdated(thread);
  return toApiChannel(world, thread);
}

/** A channel name as Discord accepts it (1-100 characters). */
function channelName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) throw invalidFormBody('name');
  return name;
}

/** Parse a `limit` query parameter the way Discord does (400 outside the range). */
export function clampLimit(raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidFormBody(`limit must be between ${min} and ${max}`);
  return n;
}

/** A snowflake query parameter (400 when it is not one, as on Discord). */
function snowflakeParam(raw: string, name: string): string {
  if (!/^\d{1,20}$/.test(raw)) throw invalidFormBody(`${name} is not a snowflake`);
  return raw;
}

/**
 * The `before` of the archived threads routes in ms: an ISO 8601 timestamp (a snowflake, which
 * discord-api-types also allows, stands for its creation time); none means now.
 */
function archivedBefore(raw: string | null): number {
  if (raw === null) return Date.now();
  if (/^\d+$/.test(raw)) return snowflakeTime(raw);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw invalidFormBody('before is not an ISO 8601 timestamp');
  return at;
}
