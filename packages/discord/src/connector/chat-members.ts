/** The members of a Discord channel a new portal shows up front (their ghosts join it). */
import { PermissionFlagsBits, type GuildMember, type TextChannel } from 'discord.js';
import type { RemoteUser } from '@trestle/core';
import { httpMedia } from './remote-message';

/** Upper bound on members joined to a new portal; the rest appear when they speak. */
export const MAX_PORTAL_MEMBERS = 200;

/**
 * Up to {@link MAX_PORTAL_MEMBERS} guild members who can see the channel, the bridge bot left out.
 * Fetched over REST (the member cache is bounded); a failure yields no members rather than no portal.
 */
export async function chatMembers(channel: TextChannel): Promise<RemoteUser[]> {
  const members = await channel.guild.members
    .list({ limit: Math.min(1000, MAX_PORTAL_MEMBERS + 1), cache: false })
    .catch(() => undefined);
  if (!members) return [];
  const botId = channel.client.user.id;
  return [...members.values()]
    .filter((m) => m.id !== botId && canView(channel, m))
    .slice(0, MAX_PORTAL_MEMBERS)
    .map((m) => ({
      id: m.id,
      displayName: m.displayName,
      avatar: httpMedia(m.displayAvatarURL({ extension: 'png' }), 'image/png'),
      isBot: m.user.bot,
    }));
}

function canView(channel: TextChannel, member: GuildMember): boolean {
  return channel.permissionsFor(member)?.has(PermissionFlagsBits.ViewChannel) ?? false;
}
