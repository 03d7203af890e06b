/**
 * What happens on Discord when someone acts: state changes plus the gateway events Discord sends
 * for them. REST handlers (the bot and webhooks) and the test driver (users) share these, so the
 * bot's own messages echo back exactly like everybody else's.
 */
import { EventEmitter } from 'node:events';
import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageType,
  type APIAllowedMentions,
  type APIEmbed,
  type APIGuildMember,
  type APIMessage,
} from 'discord-api-types/v10';
import { computeMentions } from './mentions';
import { emptyMessage, threadArchived, unknownEmoji } from './errors';
import { toApiChannel, toApiMember, toApiMessage, toApiThread, toApiUser } from './serialize';
import type { GatewaySession, SimulatedGateway } from './gateway';
import type { AttachmentRecord, ChannelRecord, MessageRecord, ReactionRecord } from './records';
import type { DiscordWorld } from './world';

/** A file being uploaded with a message. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
  contentType?: string;
  description?: string;
}

export interface NewMessage {
  channelId: string;
  authorId: string;
  webhook?: MessageRecord['webhook'];
  content?: string;
  files?: UploadedFile[];
  embeds?: APIEmbed[];
  stickerIds?: string[];
  replyTo?: string;
  allowedMentions?: APIAllowedMentions;
  nonce?: string | number;
}

export interface MessageChanges {
  content?: string;
  embeds?: APIEmbed[];
  files?: UploadedFile[];
  /** Attachment ids to keep (Discord drops the others when `attachments` is sent). */
  keepAttachmentIds?: string[];
  allowedMentions?: APIAllowedMentions;
}

export interface ActionContext {
  world: DiscordWorld;
  gateway: SimulatedGateway;
  applicationId: string;
  baseUrl: () => string;
  /** Privileged intents switched on in the developer portal (REST honours Message Content too). */
  enabledPrivilegedIntents: () => number;
}

/** Emoji as a route or driver names it: a unicode character, or `name:id` for custom emoji. */
export type EmojiSpec = string;

export class DiscordActions {
  /** Emits `'message'` with the record after every create or edit (for `waitForMessage`). */
  readonly messageEvents = new EventEmitter();

  constructor(private readonly ctx: ActionContext) {}

  createMessage(input: NewMessage): MessageRecord {
    const { world } = this.ctx;
    const channel = world.channel(input.channelId);
    const content = input.content ?? '';
    const files = input.files ?? [];
    if (!content && files.length === 0 && !input.embeds?.length && !input.stickerIds?.length)
      throw emptyMessage();
    const replied = input.replyTo ? world.message(channel.id, input.replyTo) : undefined;
    // A message in an archived thread brings it back, as on Discord, unless a moderator locked it.
    if (channel.thread?.archived) {
      if (channel.thread.locked) throw threadArchived();
      this.setArchived(channel, false);
    }
    const mentions = computeMentions(
      content,
      input.allowedMentions,
      replied?.webhook ? undefined : replied?.authorId,
    );
    const message: MessageRecord = {
      id: world.ids.next(),
      channelId: channel.id,
      guildId: channel.guildId,
      authorId: input.authorId,
      webhook: input.webhook,
      type: replied ? MessageType.Reply : MessageType.Default,
      content,
      timestamp: new Date().toISOString(),
      editedTimestamp: null,
      attachments: files.map((f) => this.toAttachment(f)),
      embeds: input.embeds ?? [],
      stickerIds: input.stickerIds ?? [],
      mentions: mentions.users,
      mentionRoles: mentions.roles,
      mentionEveryone: mentions.everyone,
      referenceId: replied?.id,
      reactions: [],
      threadId: undefined,
      nonce: input.nonce,
    };
    world.storeMessage(message);
    this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
    this.messageEvents.emit('message', message);
    return message;
  }

  editMessage(message: MessageRecord, changes: MessageChanges): MessageRecord {
    this.refuseInArchivedThread(message.channelId);
    if (changes.content !== undefined) {
      message.content = changes.content;
      const mentions = computeMentions(changes.content, changes.allowedMentions, undefined);
      message.mentions = mentions.users;
      message.mentionRoles = mentions.roles;
      message.mentionEveryone = mentions.everyone;
    }
    if (changes.embeds) message.embeds = changes.embeds;
    if (changes.keepAttachmentIds) {
      message.attachments = message.attachments.filter((a) => changes.keepAttachmentIds!.includes(a.id));
    }
    if (changes.files) message.attachments.push(...changes.files.map((f) => this.toAttachment(f)));
    message.editedTimestamp = new Date().toISOString();
    this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
    this.messageEvents.emit('message', message);
    return message;
  }

  /**
   * Deleting is the one change Discord takes in an archived thread, unless a moderator also locked
   * it: then only from someone with Manage Threads (`managesThreads`).
   */
  deleteMessage(message: MessageRecord, managesThreads = false): void {
    const thread = this.ctx.world.channel(message.channelId).thread;
    if (thread?.archived && thread.locked && !managesThreads) throw threadArchived();
    this.ctx.world.deleteMessage(message.channelId, message.id);
    this.ctx.gateway.dispatch(GatewayDispatchEvents.MessageDelete, GatewayIntentBits.GuildMessages, () => ({
      id: message.id,
      channel_id: message.channelId,
      guild_id: message.guildId,
    }));
  }

  addReaction(message: MessageRecord, userId: string, spec: EmojiSpec): void {
    this.refuseInArchivedThread(message.channelId);
    const emoji = this.resolveEmoji(message.guildId, spec);
    let reaction = message.reactions.find((r) => sameEmoji(r.emoji, emoji));
    if (!reaction) {
      reaction = { emoji, userIds: [] };
      message.reactions.push(reaction);
    }
    if (reaction.userIds.includes(userId)) return; // Discord answers 204 and sends nothing.
    reaction.userIds.push(userId);
    const member = this.ctx.world.guild(message.guildId).members.get(userId);
    this.ctx.gateway.dispatch(
      GatewayDispatchEvents.MessageReactionAdd,
      GatewayIntentBits.GuildMessageReactions,
      () => ({
        user_id: userId,
        channel_id: message.channelId,
        message_id: message.id,
        guild_id: message.guildId,
        emoji: { id: emoji.id, name: emoji.name, ...(emoji.animated ? { animated: true } : {}) },
        message_author_id: message.webhook?.id ?? message.authorId,
        burst: false,
        burst_colors: [],
        type: 0,
        ...(member ? { member: toApiMember(this.ctx.world, member) } : {}),
      }),
    );
  }

  removeReaction(message: MessageRecord, userId: string, spec: EmojiSpec): void {
    this.refuseInArchivedThread(message.channelId);
    const emoji = this.resolveEmoji(message.guildId, spec);
    const reaction = message.reactions.find((r) => sameEmoji(r.emoji, emoji));
    if (!reaction || !reaction.userIds.includes(userId)) return;
    reaction.userIds = reaction.userIds.filter((id) => id !== userId);
    if (reaction.userIds.length === 0) message.reactions = message.reactions.filter((r) => r !== reaction);
    this.ctx.gateway.dispatch(
      GatewayDispatchEvents.MessageReactionRemove,
      GatewayIntentBits.GuildMessageReactions,
      () => ({
        user_id: userId,
        channel_id: message.channelId,
        message_id: message.id,
        guild_id: message.guildId,
        emoji: { id: emoji.id, name: emoji.name, ...(emoji.animated ? { animated: true } : {}) },
        burst: false,
        type: 0,
      }),
    );
  }

  typing(channelId: string, userId: string): void {
    const channel = this.ctx.world.channel(channelId);
    const member = this.ctx.world.guild(channel.guildId).members.get(userId);
    this.ctx.gateway.dispatch(
      GatewayDispatchEvents.TypingStart,
      GatewayIntentBits.GuildMessageTyping,
      () => ({
        channel_id: channelId,
        guild_id: channel.guildId,
        user_id: userId,
        timestamp: Math.floor(Date.now() / 1000),
        ...(member ? { member: toApiMember(this.ctx.world, member) } : {}),
      }),
    );
  }

  /** Start a public thread from a message; like Discord, the thread's id is the message's id. */
  startThread(message: MessageRecord, ownerId: string, name: string): ChannelRecord {
    const { world } = this.ctx;
    const parent = world.channel(message.channelId);
    const thread: ChannelRecord = {
      id: message.id,
      guildId: parent.guildId,
      type: ChannelType.PublicThread,
      name,
      topic: null,
      parentId: parent.id,
      ownerId,
      position: 0,
      lastMessageId: null,
      deniedToBot: 0n,
      thread: {
        archived: false,
        locked: false,
        archiveTimestamp: new Date().toISOString(),
        autoArchiveDuration: 1440,
      },
    };
    world.channels.set(thread.id, thread);
    message.threadId = thread.id;
    this.ctx.gateway.dispatch(GatewayDispatchEvents.ThreadCreate, GatewayIntentBits.Guilds, () => ({
      ...toApiThread(thread, 0),
      newly_created: true,
    }));
    this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
    return thread;
  }

  /**
   * Archive or unarchive a thread (and lock or unlock it, when `locked` is given): THREAD_UPDATE goes
   * out, and the archive timestamp moves.
   */
  setArchived(thread: ChannelRecord, archived: boolean, locked?: boolean): void {
    if (!thread.thread) throw new Error(`channel ${thread.id} is not a thread`);
    thread.thread = {
      ...thread.thread,
      archived,
      locked: locked ?? thread.thread.locked,
      archiveTimestamp: new Date().toISOString(),
    };
    this.threadUpdated(thread);
  }

  threadUpdated(thread: ChannelRecord): void {
    this.ctx.gateway.dispatch(GatewayDispatchEvents.ThreadUpdate, GatewayIntentBits.Guilds, () =>
      toApiChannel(this.ctx.world, thread),
    );
  }

  channelUpdated(channel: ChannelRecord): void {
    this.ctx.gateway.dispatch(GatewayDispatchEvents.ChannelUpdate, GatewayIntentBits.Guilds, () =>
      toApiChannel(this.ctx.world, channel),
    );
  }

  /** A member leaves or is kicked: Discord sends GUILD_MEMBER_REMOVE with the user. */
  removeMember(guildId: string, userId: string): void {
    const { world, gateway } = this.ctx;
    world.member(guildId, userId);
    world.guild(guildId).members.delete(userId);
    gateway.dispatch(GatewayDispatchEvents.GuildMemberRemove, GatewayIntentBits.GuildMembers, () => ({
      guild_id: guildId,
      user: toApiUser(world, userId),
    }));
  }

  /** A ban: GUILD_BAN_ADD, then the member is removed like a kick. */
  banMember(guildId: string, userId: string): void {
    const { world, gateway } = this.ctx;
    world.member(guildId, userId);
    gateway.dispatch(GatewayDispatchEvents.GuildBanAdd, GatewayIntentBits.GuildModeration, () => ({
      guild_id: guildId,
      user: toApiUser(world, userId),
    }));
    this.removeMember(guildId, userId);
  }

  memberUpdated(guildId: string, userId: string): void {
    const member = this.ctx.world.member(guildId, userId);
    this.ctx.gateway.dispatch(
      GatewayDispatchEvents.GuildMemberUpdate,
      GatewayIntentBits.GuildMembers,
      () => ({
        guild_id: guildId,
        ...toApiMember(this.ctx.world, member),
      }),
    );
  }

  /** The message as the bot sees it over REST (content hidden when Message Content is off in the portal). */
  restView(message: MessageRecord): APIMessage {
    const withContent =
      (this.ctx.enabledPrivilegedIntents() & GatewayIntentBits.MessageContent) !== 0 ||
      this.isExemptFromIntent(message);
    return toApiMessage(this.ctx.world, message, { baseUrl: this.ctx.baseUrl(), withContent });
  }

  /**
   * MESSAGE_CREATE / MESSAGE_UPDATE: over the gateway (not over REST) a guild message carries the
   * author's member object, and each mentioned user who is a member carries theirs.
   */
  private dispatchMessage(event: GatewayDispatchEvents, message: MessageRecord): void {
    const { world } = this.ctx;
    const members = world.guild(message.guildId).members;
    const memberOf = (userId: string) => {
      const member = members.get(userId);
      return member ? { member: withoutUser(toApiMember(world, member)) } : {};
    };
    this.ctx.gateway.dispatch(event, GatewayIntentBits.GuildMessages, (session: GatewaySession) => {
      const withContent =
        (session.intents & GatewayIntentBits.MessageContent) !== 0 || this.isExemptFromIntent(message);
      const api = toApiMessage(world, message, { baseUrl: this.ctx.baseUrl(), withContent });
      return {
        ...api,
        mentions: api.mentions.map((user) => ({ ...user, ...memberOf(user.id) })),
        guild_id: message.guildId,
        ...(message.webhook ? {} : memberOf(message.authorId)),
      };
    });
  }

  /**
   * Discord takes no edits and no reactions (added or removed) in an archived thread, from anyone:
   * 400, code 50083. Reading and deleting stay possible.
   */
  private refuseInArchivedThread(channelId: string): void {
    if (this.ctx.world.channel(channelId).thread?.archived) throw threadArchived();
  }

  /** Discord shows content without the intent for the app's own messages and ones that mention it. */
  private isExemptFromIntent(message: MessageRecord): boolean {
    const { world } = this.ctx;
    return (
      message.authorId === world.botUserId ||
      message.webhook?.applicationId === this.ctx.applicationId ||
      message.mentions.includes(world.botUserId)
    );
  }

  private toAttachment(file: UploadedFile): AttachmentRecord {
    return {
      id: this.ctx.world.ids.next(),
      filename: file.filename,
      contentType: file.contentType,
      description: file.description,
      data: file.data,
    };
  }

  private resolveEmoji(guildId: string, spec: EmojiSpec): ReactionRecord['emoji'] {
    const custom = /^(a:)?([\w~]+):(\d+)$/.exec(spec);
    if (!custom) return { id: null, name: spec, animated: false };
    const emoji = this.ctx.world.guild(guildId).emojis.get(custom[3]!);
    if (!emoji) throw unknownEmoji();
    return { id: emoji.id, name: emoji.name, animated: emoji.animated };
  }
}

/** A member object inside a message leaves out its `user` (that is the author or the mention). */
function withoutUser({ user: _user, ...member }: APIGuildMember): Omit<APIGuildMember, 'user'> {
  return member;
}

function sameEmoji(a: ReactionRecord['emoji'], b: ReactionRecord['emoji']): boolean {
  return a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;
}
