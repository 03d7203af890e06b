/**
 * Matrix room name and topic changes -> the Discord channel's name and topic. Discord text channel
 * names are lowercase slugs (`my-channel`), so a room name is turned into one, and the portal's own
 * ` (Server)` suffix is dropped. The bot needs Manage Channels; without it the change is refused
 * with a reason the core shows in the room.
 */
import { PermissionFlagsBits, RateLimitError, type TextChannel } from 'discord.js';
import { RemoteSendError, type MatrixUser } from '@trestle/core';

/** Discord's longest channel name. */
const MAX_NAME_LENGTH = 100;
/** Discord's longest text channel topic. */
const MAX_TOPIC_LENGTH = 1024;
/**
 * The longest wait for Discord's limit on name and topic changes (2 per channel per 10 minutes)
 * that the core's retry sits out. Longer ones are refused at once with a notice: retrying would
 * hold up the room's messages behind the change for minutes and still fail.
 */
export const LONGEST_CHANNEL_EDIT_WAIT_MS = 60_000;

/**
 * The Discord channel name for a Matrix room name, or undefined when nothing usable is left.
 * `General Chat (My Server)` in a portal of "My Server" becomes `general-chat`.
 */
export function channelNameFromRoomName(roomName: string, guildName: string): string | undefined {
  const suffix = ` (${guildName})`;
  const bare = roomName.endsWith(suffix) ? roomName.slice(0, -suffix.length) : roomName;
  const slug = bare
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX_NAME_LENGTH);
  return slug === '' ? undefined : slug;
}

/**
 * Applies Matrix name and topic changes to channels, and recognises Discord's echo of a rename
 * (the channel update that follows), so it does not come back and overwrite the room name.
 */
export class MatrixChannelInfo {
  /** Channel id -> the slug the bridge last renamed it to. */
  private readonly renamedTo = new Map<string, string>();

  /** Rename the channel or set its topic for a Matrix user; the audit log names them. */
  async apply(
    channel: TextChannel,
    change: { kind: 'name'; name: string } | { kind: 'topic'; topic: string },
    sender: MatrixUser,
  ): Promise<void> {
    const me = channel.guild.members.me;
    if (!me || !channel.permissionsFor(me).has(PermissionFlagsBits.ManageChannels)) {
      const what = change.kind === 'name' ? 'rename' : 'change the topic of';
      throw new RemoteSendError(
        `the bot needs the Manage Channels permission to ${what} #${channel.name} from Matrix`,
        { retryable: false, status: 403 },
      );
    }
    const reason = `Matrix ${change.kind} change by ${sender.userId}`.slice(0, 512);
    if (change.kind === 'topic') {
      const topic = change.topic.slice(0, MAX_TOPIC_LENGTH);
      if (topic !== (channel.topic ?? ''))
        await refusingLongWaits(channel, 'topic', channel.setTopic(topic, reason));
      return;
    }
    const name = channelNameFromRoomName(change.name, channel.guild.name);
    if (!name || name === channel.name) return;
    // Set before the call: Discord's channel update can arrive before its answer.
    this.renamedTo.set(channel.id, name);
    try {
      await refusingLongWaits(channel, 'name', channel.setName(name, reason));
    } catch (err) {
      if (this.renamedTo.get(channel.id) === name) this.renamedTo.delete(channel.id);
      throw err;
    }
  }

  /**
   * True when the channel's name is what a Matrix rename made it: the slug the bridge set, or
   * (after a restart) the slug of the room's current name.
   */
  isNameFromMatrix(
    channel: { id: string; name: string; guild: { name: string } },
    roomName?: string,
  ): boolean {
    if (this.renamedTo.get(channel.id) === channel.name) return true;
    return roomName !== undefined && channelNameFromRoomName(roomName, channel.guild.name) === channel.name;
  }
}

/** A name or topic change that Discord limits for longer than the retry waits is refused, saying why. */
async function refusingLongWaits(channel: TextChannel, what: 'name' | 'topic', change: Promise<unknown>) {
  try {
    await change;
  } catch (err) {
    if (!(err instanceof RateLimitError) || err.retryAfter <= LONGEST_CHANNEL_EDIT_WAIT_MS) throw err;
    const minutes = Math.max(1, Math.round(err.retryAfter / 60_000));
    throw new RemoteSendError(
      `Discord allows a channel's ${what} to be changed only twice in 10 minutes, so #${channel.name} keeps ` +
        `its ${what}; try again in about ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { retryable: false, status: 429 },
    );
  }
}
