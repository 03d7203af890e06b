/** The Matrix room name of a channel's portal: `channel (Server)`, so rooms of several servers stay apart. */
import type { NonThreadGuildBasedChannel } from 'discord.js';

export function portalName(channel: Pick<NonThreadGuildBasedChannel, 'name' | 'guild'>): string {
  return `${channel.name} (${channel.guild.name})`;
}
