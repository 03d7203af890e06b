/**
 * Turns the simulator's records into the API objects Discord sends, typed with
 * `discord-api-types/v10` so that a missing field is a compile error rather than a discord.js crash.
 */
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  MessageFlags,
  PermissionFlagsBits,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  StickerFormatType,
  StickerType,
  WebhookType,
  type APIAttachment,
  type APIEmoji,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIOverwrite,
  type APIRole,
  type APISticker,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type APIWebhook,
  type GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import type {
  AttachmentRecord,
  ChannelRecord,
  EmojiRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  RoleRecord,
  StickerRecord,
  WebhookRecord,
} from './records';
import type { DiscordWorld } from './world';

export function toApiUser(world: DiscordWorld, userId: string): APIUser {
  const user = world.user(userId);
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: user.avatar,
    ...(user.bot ? { bot: true } : {}),
  };
}

export function toApiRole(role: RoleRecord): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: false,
    mentionable: role.mentionable,
    flags: 0 as RoleFlags,
  };
}

export function toApiMember(world: DiscordWorld, member: MemberRecord): APIGuildMember {
  return {
    user: toApiUser(world, member.userId),
    nick: member.nick,
    avatar: member.avatar,
    roles: member.roles,
    joined_at: member.joinedAt,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
  };
}

export function toApiEmoji(emoji: EmojiRecord): APIEmoji {
  return {
    id: emoji.id,
    name: emoji.name,
    animated: emoji.animated,
    available: true,
    managed: false,
    require_colons: true,
    roles: [],
  };
}

export function toApiSticker(guildId: string, sticker: StickerRecord): APISticker {
  return {
    id: sticker.id,
    name: sticker.name,
    description: null,
    tags: sticker.name,
    type: StickerType.Guild,
    format_type: sticker.formatType as StickerFormatType,
    available: true,
    guild_id: guildId,
  };
}

/**
 * `botUserId` receives a member overwrite denying what a test took away with `denyBot` (and, in a
 * private channel, allowing it to view); a private channel denies @everyone View Channel and allows
 * its roles.
 */
export function toApiTextChannel(channel: ChannelRecord, botUserId: string): APITextChannel {
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: channel.guildId,
    name: channel.name,
    topic: channel.topic,
    position: channel.position,
    parent_id: null,
    nsfw: false,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    permission_overwrites: permissionOverwrites(channel, botUserId),
    flags: 0 as ChannelFlags,
  };
}

function permissionOverwrites(channel: ChannelRecord, botUserId: string): APIOverwrite[] {
  const overwrites: APIOverwrite[] = [];
  const view = PermissionFlagsBits.ViewChannel;
  if (channel.visibleToRoles) {
    overwrites.push({ id: channel.guildId, type: OverwriteType.Role, allow: '0', deny: view.toString() });
    for (const roleId of channel.visibleToRoles)
      overwrites.push({ id: roleId, type: OverwriteType.Role, allow: view.toString(), deny: '0' });
  }
  const botAllow = channel.visibleToRoles ? view & ~channel.deniedToBot : 0n;
  if (botAllow !== 0n || channel.deniedToBot !== 0n) {
    overwrites.push({
      id: botUserId,
      type: OverwriteType.Member,
      allow: botAllow.toString(),
      deny: channel.deniedToBot.toString(),
    });
  }
  return overwrites;
}

export function toApiThread(channel: ChannelRecord, messageCount: number): APIThreadChannel {
  return {
    id: channel.id,
    type: ChannelType.PublicThread,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId ?? undefined,
    owner_id: channel.ownerId ?? undefined,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    message_count: messageCount,
    member_count: 1,
    total_message_sent: messageCount,
    thread_metadata: {
      archived: channel.thread?.archived ?? false,
      auto_archive_duration: channel.thread?.autoArchiveDuration ?? 1440,
      archive_timestamp: channel.thread?.archiveTimestamp ?? new Date().toISOString(),
      locked: channel.thread?.locked ?? false,
    },
    flags: 0 as ChannelFlags,
  };
}

export function toApiChannel(world: DiscordWorld, channel: ChannelRecord): APITextChannel | APIThreadChannel {
  return channel.type === ChannelType.PublicThread
    ? toApiThread(channel, world.channelMessages(channel.id).length)
    : toApiTextChannel(channel, world.botUserId);
}

export function toApiGuild(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: guild.description,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()].map(toApiRole),
    emojis: [...guild.emojis.values()].map(toApiEmoji),
    stickers: [...guild.stickers.values()].map((s) => toApiSticker(guild.id, s)),
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** What a gateway session asked for that shapes the members of its GUILD_CREATE. */
export interface GuildCreateView {
  /** The session's intents include Guild Presences. */
  presences: boolean;
  /** The session's `large_threshold` (50–250). */
  largeThreshold: number;
}

/**
 * The GUILD_CREATE payload, with the channels discord.js needs to route later messages. Its
 * `members`, as on Discord: without the Guild Presences intent (or in a guild over 75,000 members)
 * only the bot and members in voice channels; with it, in a guild over the session's
 * `large_threshold`, the online ones. The simulator has neither voice channels nor presences
 * (nobody is online), so that leaves the bot alone, unless the session has the Presence intent and
 * the guild is not large: then every member.
 */
export function toGuildCreate(
  world: DiscordWorld,
  guild: GuildRecord,
  view: GuildCreateView,
): GatewayGuildCreateDispatchData {
  const guildChannels = [...world.channels.values()].filter((c) => c.guildId === guild.id);
  const large = guild.members.size > view.largeThreshold;
  const members = [...guild.members.values()].filter(
    (m) => (view.presences && !large) || m.userId === world.botUserId,
  );
  return {
    ...toApiGuild(guild),
    joined_at: guild.members.get(world.botUserId)?.joinedAt ?? new Date().toISOString(),
    large,
    member_count: guild.members.size,
    voice_states: [],
    members: members.map((m) => toApiMember(world, m)),
    channels: guildChannels
      .filter((c) => c.type === ChannelType.GuildText)
      .map((c) => toApiTextChannel(c, world.botUserId)),
    // Only active threads, as on Discord.
    threads: guildChannels
      .filter((c) => c.type === ChannelType.PublicThread && !c.thread?.archived)
      .map((c) => toApiThread(c, world.channelMessages(c.id).length)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function toApiAttachment(
  baseUrl: string,
  channelId: string,
  attachment: AttachmentRecord,
): APIAttachment {
  const url = `${baseUrl}${attachmentPath(channelId, attachment)}`;
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.data.length,
    url,
    proxy_url: url,
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
  };
}

/** Where the CDN serves an attachment (Discord's `/attachments/<channel>/<id>/<name>` layout). */
export function attachmentPath(channelId: string, attachment: AttachmentRecord): string {
  return `/attachments/${channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
}

/** What a viewer is allowed to see of a message. */
export interface MessageView {
  /** The CDN base (`http://127.0.0.1:port`) for attachment URLs. */
  baseUrl: string;
  /** False when the viewer lacks the Message Content intent and the message is neither theirs nor mentions them. */
  withContent: boolean;
}

export function toApiMessage(
  world: DiscordWorld,
  message: MessageRecord,
  view: MessageView,
  depth = 0,
): APIMessage {
  const author: APIUser = message.webhook
    ? {
        id: message.webhook.id,
        username: message.webhook.username,
        discriminator: '0000',
        global_name: null,
        avatar: null,
        bot: true,
      }
    : toApiUser(world, message.authorId);
  const referenced = message.referenceId
    ? world.messages.get(message.channelId)?.get(message.referenceId)
    : undefined;
  const api: APIMessage = {
    id: message.id,
    channel_id: message.channelId,
    author,
    content: view.withContent ? message.content : '',
    timestamp: message.timestamp,
    edited_timestamp: message.editedTimestamp,
    tts: false,
    mention_everyone: message.mentionEveryone,
    mentions: message.mentions.filter((id) => world.users.has(id)).map((id) => toApiUser(world, id)),
    mention_roles: message.mentionRoles,
    attachments: view.withContent
      ? message.attachments.map((a) => toApiAttachment(view.baseUrl, message.channelId, a))
      : [],
    embeds: view.withContent ? message.embeds : [],
    pinned: false,
    type: message.type,
    flags: message.threadId ? MessageFlags.HasThread : (0 as MessageFlags),
    components: [],
  };
  if (message.webhook) {
    api.webhook_id = message.webhook.id;
    if (message.webhook.applicationId) api.application_id = message.webhook.applicationId;
  }
  if (message.nonce !== undefined) api.nonce = message.nonce;
  if (message.reactions.length > 0) {
    api.reactions = message.reactions.map((r) => ({
      emoji: r.emoji,
      count: r.userIds.length,
      count_details: { burst: 0, normal: r.userIds.length },
      me: r.userIds.includes(world.botUserId),
      me_burst: false,
      burst_colors: [],
    }));
  }
  if (message.stickerIds.length > 0) {
    const guild = world.guild(message.guildId);
    api.sticker_items = message.stickerIds.map((id) => ({
      id,
      name: guild.stickers.get(id)?.name ?? 'sticker',
      format_type: (guild.stickers.get(id)?.formatType ?? 1) as StickerFormatType,
    }));
  }
  if (message.referenceId) {
    api.message_reference = {
      message_id: message.referenceId,
      channel_id: message.channelId,
      guild_id: message.guildId,
    };
    // Discord nests the replied-to message one level deep, and sends null when it was deleted.
    api.referenced_message =
      referenced && depth === 0
        ? toApiMessage(world, referenced, view, depth + 1)
        : depth === 0
          ? null
          : undefined;
  }
  if (message.threadId) {
    const thread = world.channels.get(message.threadId);
    if (thread) api.thread = toApiThread(thread, world.channelMessages(thread.id).length);
  }
  return api;
}

export function toApiWebhook(world: DiscordWorld, webhook: WebhookRecord, withToken: boolean): APIWebhook {
  return {
    id: webhook.id,
    type: WebhookType.Incoming,
    guild_id: webhook.guildId,
    channel_id: webhook.channelId,
    name: webhook.name,
    avatar: webhook.avatar,
    application_id: webhook.applicationId,
    user: toApiUser(world, webhook.creatorId),
    ...(withToken ? { token: webhook.token } : {}),
  };
}
