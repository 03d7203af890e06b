/** Building blocks of a new simulated guild, and what the simulated CDN serves. */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { attachmentPath } from './serialize';
import { MEMBER_PERMISSIONS } from './user-driver';
import type { GuildRecord, RoleRecord } from './records';
import type { CdnFile, DiscordWorld } from './world';

/** What the bot's role may do in a new guild: chat plus what a bridge needs (webhooks, moderation). */
export const BRIDGE_BOT_PERMISSIONS =
  MEMBER_PERMISSIONS |
  PermissionFlagsBits.ManageWebhooks |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.MentionEveryone;

/** A 1x1 transparent PNG for emoji and stickers created without an image. */
export const PLACEHOLDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A guild with its @everyone role, an owner (a user named `owner`: Discord's owner bypasses all
 * permission checks, so the bot must not be it) and the bot as a member with a "Bridge" role.
 */
export function newGuild(world: DiscordWorld, name: string, icon: Buffer | undefined): GuildRecord {
  const id = world.ids.next();
  const ownerId = world.ids.next();
  const joinedAt = new Date().toISOString();
  world.users.set(ownerId, { id: ownerId, username: 'owner', globalName: null, avatar: null, bot: false });
  const everyone: RoleRecord = {
    id,
    name: '@everyone',
    permissions: MEMBER_PERMISSIONS,
    color: 0,
    position: 0,
    mentionable: false,
  };
  const botRole: RoleRecord = {
    id: world.ids.next(),
    name: 'Bridge',
    permissions: BRIDGE_BOT_PERMISSIONS,
    color: 0,
    position: 1,
    mentionable: false,
  };
  return {
    id,
    name,
    ownerId,
    icon: icon ? world.putImage(`/icons/${id}`, icon) : null,
    description: null,
    roles: new Map([
      [everyone.id, everyone],
      [botRole.id, botRole],
    ]),
    members: new Map([
      [ownerId, { userId: ownerId, nick: null, roles: [], avatar: null, joinedAt }],
      [world.botUserId, { userId: world.botUserId, nick: null, roles: [botRole.id], avatar: null, joinedAt }],
    ]),
    emojis: new Map(),
    stickers: new Map(),
  };
}

/** The file behind a CDN path: an attachment (`/attachments/<channel>/<id>/<name>`) or a stored image. */
export function findCdnFile(world: DiscordWorld, path: string): CdnFile | undefined {
  // Users without an avatar show one of Discord's default ones.
  if (/^\/embed\/avatars\/\d+\.png$/.test(path)) return { data: PLACEHOLDER_PNG, contentType: 'image/png' };
  const attachment = /^\/attachments\/(\d+)\/(\d+)\/[^/]+$/.exec(path);
  if (!attachment) return world.cdnFile(path);
  for (const message of world.channelMessages(attachment[1]!)) {
    const found = message.attachments.find(
      (a) => a.id === attachment[2] && attachmentPath(message.channelId, a) === path,
    );
    if (found) return { data: found.data, contentType: found.contentType ?? 'application/octet-stream' };
  }
  return undefined;
}
