/** Acts as a Discord user in tests: what a person does in the Discord client, through the same paths as everyone. */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { DiscordActions, EmojiSpec, UploadedFile } from './actions';
import type { ChannelRecord, MessageRecord } from './records';
import type { DiscordWorld } from './world';
import { missingPermissions } from './errors';

export interface SendOptions {
  /** Id of the message this one replies to. */
  reply?: string;
  attachments?: Array<{ name: string; data: Buffer; contentType?: string }>;
  stickerIds?: string[];
}

export class DiscordUserDriver {
  constructor(
    private readonly world: DiscordWorld,
    private readonly actions: DiscordActions,
    readonly userId: string,
  ) {}

  send(channelId: string, content: string, options: SendOptions = {}): MessageRecord {
    this.requireMember(channelId);
    const files: UploadedFile[] = (options.attachments ?? []).map((a) => ({
      filename: a.name,
      data: a.data,
      contentType: a.contentType,
    }));
    return this.actions.createMessage({
      channelId,
      authorId: this.userId,
      content,
      files,
      stickerIds: options.stickerIds,
      replyTo: options.reply,
    });
  }

  edit(channelId: string, messageId: string, content: string): MessageRecord {
    const message = this.own(channelId, messageId);
    return this.actions.editMessage(message, { content });
  }

  delete(channelId: string, messageId: string): void {
    this.actions.deleteMessage(this.own(channelId, messageId));
  }

  /** React with a unicode emoji or a custom one as `name:id`. */
  react(channelId: string, messageId: string, emoji: EmojiSpec): void {
    this.requireMember(channelId);
    this.actions.addReaction(this.world.message(channelId, messageId), this.userId, emoji);
  }

  unreact(channelId: string, messageId: string, emoji: EmojiSpec): void {
    this.actions.removeReaction(this.world.message(channelId, messageId), this.userId, emoji);
  }

  typing(channelId: string): void {
    this.requireMember(channelId);
    this.actions.typing(channelId, this.userId);
  }

  startThread(channelId: string, messageId: string, name: string): ChannelRecord {
    this.requireMember(channelId);
    return this.actions.startThread(this.world.message(channelId, messageId), this.userId, name);
  }

  /** Leave the guild (GUILD_MEMBER_REMOVE goes out, as for a kick). */
  leaveGuild(guildId: string): void {
    this.actions.removeMember(guildId, this.userId);
  }

  private own(channelId: string, messageId: string): MessageRecord {
    const message = this.world.message(channelId, messageId);
    if (message.authorId !== this.userId || message.webhook) throw missingPermissions();
    return message;
  }

  private requireMember(channelId: string): void {
    const channel = this.world.channel(channelId);
    if (!this.world.guild(channel.guildId).members.has(this.userId)) throw missingPermissions();
  }
}

/** Permissions a plain member's role gets in a new guild (enough to chat, react and start threads). */
export const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.UseExternalEmojis;
