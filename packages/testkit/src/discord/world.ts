/**
 * The simulated Discord's state: users, guilds with roles, members, emoji and stickers, channels
 * and threads, messages, webhooks and the CDN's files. Lookups throw Discord's own errors so that
 * REST handlers stay short.
 */
import { createHash } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { compareSnowflakes, SnowflakeGenerator } from './snowflake';
import {
  missingPermissions,
  unknownChannel,
  unknownGuild,
  unknownMember,
  unknownMessage,
  unknownUser,
  unknownWebhook,
} from './errors';
import type {
  ChannelRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  UserRecord,
  WebhookRecord,
} from './records';

/** A file served by the simulated CDN. */
export interface CdnFile {
  data: Buffer;
  contentType: string;
}

export class DiscordWorld {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  /** Messages per channel, in creation order. */
  readonly messages = new Map<string, Map<string, MessageRecord>>();
  readonly webhooks = new Map<string, WebhookRecord>();
  /** CDN path without extension (e.g. `/avatars/1/abc`) -> file; any extension is served. */
  readonly cdn = new Map<string, CdnFile>();

  /** `ids` made the bot's id: every id comes from one generator, or two could be the same. */
  constructor(
    readonly botUserId: string,
    readonly ids: SnowflakeGenerator,
  ) {}

  user(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw unknownUser();
    return user;
  }

  guild(id: string): GuildRecord {
    const guild = this.guilds.get(id);
    if (!guild) throw unknownGuild();
    return guild;
  }

  member(guildId: string, userId: string): MemberRecord {
    const member = this.guild(guildId).members.get(userId);
    if (!member) throw unknownMember();
    return member;
  }

  channel(id: string): ChannelRecord {
    const channel = this.channels.get(id);
    if (!channel) throw unknownChannel();
    return channel;
  }

  message(channelId: string, messageId: string): MessageRecord {
    this.channel(channelId);
    const message = this.messages.get(channelId)?.get(messageId);
    if (!message) throw unknownMessage();
    return message;
  }

  webhook(id: string): WebhookRecord {
    const webhook = this.webhooks.get(id);
    if (!webhook) throw unknownWebhook();
    return webhook;
  }

  /** Messages of a channel, oldest first. */
  channelMessages(channelId: string): MessageRecord[] {
    return [...(this.messages.get(channelId)?.values() ?? [])].sort((a, b) => compareSnowflakes(a.id, b.id));
  }

  storeMessage(message: MessageRecord): void {
    let inChannel = this.messages.get(message.channelId);
    if (!inChannel) {
      inChannel = new Map();
      this.messages.set(message.channelId, inChannel);
    }
    inChannel.set(message.id, message);
    this.channel(message.channelId).lastMessageId = message.id;
  }

  deleteMessage(channelId: string, messageId: string): void {
    this.messages.get(channelId)?.delete(messageId);
  }

  /** Put bytes on the CDN under a content hash and return the hash (Discord's avatar/icon "hash"). */
  putImage(prefix: string, data: Buffer, contentType = 'image/png'): string {
    const hash = createHash('md5').update(data).digest('hex');
    this.cdn.set(`${prefix}/${hash}`, { data, contentType });
    return hash;
  }

  /** The CDN file for a request path: extension and query are ignored, as Discord converts formats. */
  cdnFile(path: string): CdnFile | undefined {
    return this.cdn.get(path.replace(/\.[a-z0-9]+$/i, ''));
  }

  /** The bot's effective permissions in a channel: its roles' union, minus what a test denied. */
  botPermissions(channelId: string): bigint {
    const channel = this.channel(channelId);
    const guild = this.guild(channel.guildId);
    const member = guild.members.get(this.botUserId);
    if (!member) return 0n;
    let permissions = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const roleId of member.roles) permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
    if (permissions & PermissionFlagsBits.Administrator) permissions = ALL_PERMISSIONS;
    const rootChannel = channel.parentId ? this.channel(channel.parentId) : channel;
    return permissions & ~(channel.deniedToBot | rootChannel.deniedToBot);
  }

  /** Throw 403 Missing Permissions unless the bot holds every bit in `required` there. */
  requireBotPermission(channelId: string, required: bigint): void {
    if ((this.botPermissions(channelId) & required) !== required) throw missingPermissions();
  }
}

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
