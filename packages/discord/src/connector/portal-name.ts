/**
 * How a guild's channels are named on Matrix: a portal is `channel (Server)`, so rooms of several
 * servers stay apart, and the portals of a guild are gathered in a space named after it.
 */
import type { Guild } from 'discord.js';
import type { SpaceInfo } from '@trestle/core';
import { httpMedia } from './remote-message';

export function portalName(channel: { name: string; guild: { name: string } }): string {
  return `${channel.name} (${channel.guild.name})`;
}

/** The Matrix space of a guild: its name, its description as the topic and its icon as the avatar. */
export function spaceOf(guild: Pick<Guild, 'id' | 'name' | 'description' | 'iconURL'>): SpaceInfo {
  // The icon's URL names its hash, so a new icon is a new upload and an unchanged one is uploaded once.
  const icon = guild.iconURL({ extension: 'png' });
  return {
    id: guild.id,
    name: guild.name,
    ...(guild.description ? { topic: guild.description } : {}),
    avatar: icon ? httpMedia(icon, 'image/png') : null,
  };
}
