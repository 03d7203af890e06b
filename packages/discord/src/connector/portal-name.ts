/**
 * How a guild's channels are named on Matrix: a portal is `channel (Server)`, so rooms of several
 * servers stay apart, and the portals of a guild are gathered in a space named after it.
 */
import type { Guild } from 'discord.js';
import type { SpaceInfo } from '@trestle/core';

export function portalName(channel: { name: string; guild: { name: string } }): string {
  return `${channel.name} (${channel.guild.name})`;
}

/** The Matrix space of a guild: its name, and its description as the topic. */
export function spaceOf(guild: Pick<Guild, 'id' | 'name' | 'description'>): SpaceInfo {
  return { id: guild.id, name: guild.name, ...(guild.description ? { topic: guild.description } : {}) };
}
