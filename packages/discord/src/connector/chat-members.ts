/** The members of a Discord channel a portal shows (their ghosts join it). */
import {
  PermissionFlagsBits,
  type Guild,
  type GuildMember,
  type GuildTextBasedChannel,
  type TextChannel,
} from 'discord.js';
import type { RemoteUser } from '@trestle/core';
import { httpMedia } from './remote-message';

/** Upper bound on members joined to a new portal; the rest appear when they speak. */
export const MAX_PORTAL_MEMBERS = 200;

/**
 * Up to {@link MAX_PORTAL_MEMBERS} guild members who can see the channel, the bridge bot left out.
 * A failure to list them yields no members rather than no portal.
 */
export async function chatMembers(channel: TextChannel): Promise<RemoteUser[]> {
  const members = await guildMembers(channel.guild).catch(() => []);
  return members
    .filter((m) => canView(channel, m))
    .slice(0, MAX_PORTAL_MEMBERS)
    .map(remoteUserOf);
}

/**
 * The guild's first members by user id, the bridge bot left out: all of them while the guild is
 * within the cap ({@link membersMirrored}). Fetched over REST, because the member cache is bounded.
 */
export async function guildMembers(guild: Guild): Promise<GuildMember[]> {
  const members = await guild.members.list({ limit: Math.min(1000, MAX_PORTAL_MEMBERS + 1), cache: false });
  return [...members.values()].filter((m) => m.id !== guild.client.user.id);
}

/**
 * True while a guild is small enough that its portals got every member who can see them (the bot
 * and up to {@link MAX_PORTAL_MEMBERS} others): only then are later joins mirrored, so that a
 * portal of a big guild does not fill up with everyone who joins after it was made.
 */
export function membersMirrored(guild: Guild): boolean {
  return guild.memberCount <= MAX_PORTAL_MEMBERS + 1;
}

/** A guild member as the core's remote user: per-guild nickname and avatar. */
export function remoteUserOf(member: GuildMember): RemoteUser {
  return {
    id: member.id,
    displayName: member.displayName,
    avatar: httpMedia(member.displayAvatarURL({ extension: 'png' }), 'image/png'),
    isBot: member.user.bot,
  };
}

export function canView(channel: GuildTextBasedChannel, member: GuildMember): boolean {
  return channel.permissionsFor(member)?.has(PermissionFlagsBits.ViewChannel) ?? false;
}
