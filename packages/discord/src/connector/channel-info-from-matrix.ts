/**
 * Matrix room name and topic changes -> the Discord channel's name and topic. Discord text channel
 * names are lowercase slugs (`my-channel`), so a room name is turned into one, and the portal's own
 * ` (Server)` suffix is dropped. The bot needs Manage Channels; without it the change is refused
 * with a reason the core shows in the room. Discord allows 2 name and 2 topic changes per channel
 * per 10 minutes: a change past that waits for the window to pass ({@link DeferredChannelEdits}),
 * and the room is told when it will be made; the room's messages are not held up behind it.
 */
import { PermissionFlagsBits, RateLimitError, type Client, type TextChannel } from 'discord.js';
import { RemoteSendError, type BridgeContext, type MatrixUser } from '@trestle/core';
import type { DiscordConfig } from '../config';
import { DeferredChannelEdits, type ChannelField, type DeferredEdit } from './deferred-channel-edits';

/** Discord's longest channel name. */
const MAX_NAME_LENGTH = 100;
/** Discord's longest text channel topic. */
const MAX_TOPIC_LENGTH = 1024;

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
 * Applies Matrix name and topic changes to channels (now, or once Discord's limit lets it), and
 * recognises Discord's echo of a rename (the channel update that follows), so it does not come back
 * and overwrite the room name.
 */
export class MatrixChannelInfo {
  /** Channel id -> the slug the bridge last renamed it to. */
  private readonly renamedTo = new Map<string, string>();
  private readonly deferred: DeferredChannelEdits;

  constructor(
    private readonly client: Client<true>,
    private readonly ctx: BridgeContext<DiscordConfig>,
  ) {
    this.deferred = new DeferredChannelEdits(ctx.kv, ctx.log, (edit) => this.applyDeferred(edit));
  }

  /** Take up the changes that were waiting for Discord's limit when the bridge stopped. */
  start(): Promise<void> {
    return this.deferred.load();
  }

  stop(): Promise<void> {
    return this.deferred.stop();
  }

  /** Rename the channel or set its topic for a Matrix user; the audit log names them. */
  async apply(
    channel: TextChannel,
    change: { kind: 'name'; name: string } | { kind: 'topic'; topic: string },
    sender: MatrixUser,
  ): Promise<void> {
    if (change.kind === 'topic') {
      await this.change(channel, 'topic', change.topic.slice(0, MAX_TOPIC_LENGTH), sender.userId);
      return;
    }
    const name = channelNameFromRoomName(change.name, channel.guild.name);
    if (name) await this.change(channel, 'name', name, sender.userId);
  }

  /**
   * True when the channel's name is what a Matrix rename made it: the slug the bridge set, or
   * (after a restart) the slug of the room's current name; also while a Matrix rename waits for
   * Discord's limit and the channel still has the name it replaces. A rename on Discord meanwhile
   * cancels the waiting one (the newer name wins).
   */
  isNameFromMatrix(
    channel: { id: string; name: string; guild: { name: string } },
    roomName?: string,
  ): boolean {
    if (this.stillWaiting(channel.id, 'name', channel.name)) return true;
    if (this.renamedTo.get(channel.id) === channel.name) return true;
    return roomName !== undefined && channelNameFromRoomName(roomName, channel.guild.name) === channel.name;
  }

  /**
   * True while a Matrix topic waits for Discord's limit and the channel still has the topic it
   * replaces (the room keeps the Matrix topic). A topic change on Discord meanwhile cancels it.
   */
  isTopicWaiting(channel: { id: string; topic?: string | null }): boolean {
    return this.stillWaiting(channel.id, 'topic', channel.topic ?? '');
  }

  private stillWaiting(channelId: string, field: ChannelField, now: string): boolean {
    const waiting = this.deferred.get(channelId, field);
    if (!waiting) return false;
    if (now === waiting.from) return true;
    this.deferred.cancel(channelId, field, waiting);
    return false;
  }

  /** Set a channel's name or topic, or keep the change for later when Discord's limit is reached. */
  private async change(channel: TextChannel, field: ChannelField, value: string, by: string): Promise<void> {
    const me = channel.guild.members.me;
    if (!me || !channel.permissionsFor(me).has(PermissionFlagsBits.ManageChannels)) {
      const what = field === 'name' ? 'rename' : 'change the topic of';
      throw new RemoteSendError(
        `the bot needs the Manage Channels permission to ${what} #${channel.name} from Matrix`,
        { retryable: false, status: 403 },
      );
    }
    const current = field === 'name' ? channel.name : (channel.topic ?? '');
    const waiting = this.deferred.get(channel.id, field);
    if (value === current) {
      // Changed back before the waiting change was made: nothing is left to do.
      this.deferred.cancel(channel.id, field);
      return;
    }
    if (waiting && waiting.due > Date.now()) {
      // Discord would refuse it too: the newer change takes the waiting one's place.
      this.deferred.defer({ ...waiting, value, by });
      await this.tellDeferred(channel, field, value, waiting.due);
      return;
    }
    const reason = `Matrix ${field} change by ${by}`.slice(0, 512);
    // Set before the call: Discord's channel update can arrive before its answer.
    if (field === 'name') this.renamedTo.set(channel.id, value);
    try {
      if (field === 'name') await channel.setName(value, reason);
      else await channel.setTopic(value, reason);
      this.deferred.cancel(channel.id, field, waiting);
    } catch (err) {
      if (field === 'name' && this.renamedTo.get(channel.id) === value) this.renamedTo.delete(channel.id);
      // Discord.js sits out short waits itself; a longer one is the 10-minute limit.
      if (!(err instanceof RateLimitError)) throw err;
      const due = Date.now() + err.retryAfter;
      this.deferred.defer({ channelId: channel.id, field, value, from: current, by, due });
      await this.tellDeferred(channel, field, value, due);
    }
  }

  /** A deferred change is due: make it, or tell the room why it could not be made. */
  private async applyDeferred(edit: DeferredEdit): Promise<void> {
    const channel = await this.client.channels.fetch(edit.channelId).catch(() => null);
    if (!channel?.isTextBased() || channel.isDMBased() || channel.isThread()) {
      this.deferred.cancel(edit.channelId, edit.field, edit);
      return;
    }
    try {
      await this.change(channel as TextChannel, edit.field, edit.value, edit.by);
    } catch (err) {
      this.deferred.cancel(edit.channelId, edit.field, edit);
      const what =
        edit.field === 'name' ? `rename of #${channel.name} to #${edit.value}` : `topic of #${channel.name}`;
      const why = err instanceof Error ? err.message : String(err);
      await this.notice(
        edit.channelId,
        `⚠️ The ${what} asked for from Matrix could not be made on Discord: ${why}`,
      );
    }
  }

  private async tellDeferred(
    channel: TextChannel,
    field: ChannelField,
    value: string,
    due: number,
  ): Promise<void> {
    const when = `in about ${duration(due - Date.now())} (at ${new Date(due).toISOString().slice(11, 16)} UTC)`;
    const what =
      field === 'name'
        ? `#${channel.name} will be renamed to #${value} ${when}`
        : `the topic of #${channel.name} will be changed ${when}`;
    await this.notice(
      channel.id,
      `Discord allows a channel's ${field} to be changed only twice in 10 minutes: ${what}.`,
    );
  }

  private async notice(channelId: string, text: string): Promise<void> {
    const portal = await this.ctx.portalForChat(channelId);
    if (portal) await this.ctx.notice(portal.roomId, text);
  }
}

/** `45 seconds`, `10 minutes`. */
function duration(ms: number): string {
  if (ms < 90_000) {
    const seconds = Math.max(1, Math.round(ms / 1000));
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  return `${Math.round(ms / 60_000)} minutes`;
}
