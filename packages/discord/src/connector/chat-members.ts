/**
 * The members of a Discord channel a portal shows (their ghosts join it). Guild members are listed
 * over REST (`GET /guilds/{id}/members`, which Discord answers only with the Server Members switch
 * on), 1,000 per request in user id order, and read page by page without entering discord.js's
 * member cache, which stays bounded (`cache-limits.ts`): a listing holds one page at a time.
 *
 * `network.mirrorGuildMembers` bounds the work: guilds within it have complete member lists, bigger
 * ones none (their members appear in a portal when they first speak, react or type), as every member
 * mirrored is a Matrix user joined to each portal they can see.
 */
import {
  PermissionFlagsBits,
  type Guild,
  type GuildMember,
  type GuildTextBasedChannel,
  type TextChannel,
} from 'discord.js';
import type { Logger, RemoteUser } from '@trestle/core';
import type { DiscordConfig } from '../config';
import { httpMedia } from './remote-message';
import { compareSnowflakes } from './snowflake-order';

/** Discord's largest page of a guild's member list. */
const MEMBER_PAGE = 1000;

/**
 * Every guild member who can see the channel, the bridge bot left out, in a guild within
 * `mirrorCap` ({@link mirrorCapOf}); nobody in a bigger one. A failed listing yields the members
 * listed so far rather than no portal.
 */
export async function chatMembers(
  channel: TextChannel,
  mirrorCap: number,
  log: Logger,
): Promise<RemoteUser[]> {
  const users: RemoteUser[] = [];
  if (!guildWithin(channel.guild, mirrorCap)) return users;
  try {
    await forEachMemberPage(channel.guild, mirrorCap, (page) => {
      for (const member of page) if (canView(channel, member)) users.push(remoteUserOf(member));
    });
  } catch (err) {
    log.warn('discord guild members not listed; the new portal shows fewer members', {
      network: 'discord',
      chat: channel.id,
      err,
    });
  }
  return users;
}

/**
 * Hand the guild's first `max` members besides the bot (all of them in a guild within `max`) to
 * `onPage`, one page at a time, in user id order.
 */
export async function forEachMemberPage(
  guild: Guild,
  max: number,
  onPage: (members: GuildMember[]) => void,
): Promise<void> {
  const botId = guild.client.user.id;
  // The bot is listed too, so one more than `max` covers `max` others.
  let left = max + 1;
  let after: string | undefined;
  while (max > 0 && left > 0) {
    const limit = Math.min(MEMBER_PAGE, left);
    const page = await guild.members.list({ limit, cache: false, ...(after ? { after } : {}) });
    left -= page.size;
    const members = [...page.values()];
    onPage(members.filter((m) => m.id !== botId));
    if (page.size < limit) return;
    after = members.map((m) => m.id).reduce((a, b) => (compareSnowflakes(a, b) >= 0 ? a : b));
  }
}

/**
 * The guild has at most `cap` members besides the bot (and `cap` is not 0). Within
 * `network.maxGuildMembers` its members are listed, for their names; within {@link mirrorCapOf} its
 * portals got every member who can see them, so later joins are mirrored and member lists caught up
 * at start (a portal of a bigger guild does not fill up with everyone who joins after it was made).
 */
export function guildWithin(guild: Guild, cap: number): boolean {
  return cap > 0 && guild.memberCount <= cap + 1;
}

/**
 * `network.mirrorGuildMembers`, within `network.maxGuildMembers`: mirroring needs the listing, and
 * the catch-up at start reads both from the same one.
 */
export function mirrorCapOf(config: DiscordConfig): number {
  return Math.min(config.mirrorGuildMembers, config.maxGuildMembers);
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
