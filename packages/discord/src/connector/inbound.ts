/**
 * Discord -> Matrix. Turns gateway events into the core's remote events, per channel in the
 * order Discord sent them, skipping the bridge's own echoes and guilds outside the allow-list,
 * and advances each channel's cursor (last message id) once the core has handled the message.
 */
import {
  Events,
  type Client,
  type GuildMember,
  type Message,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
  type Typing,
  type NonThreadGuildBasedChannel,
  type DMChannel,
  type Emoji,
  type Guild,
} from 'discord.js';
import type { BridgeContext, RemoteEvent, RemoteUser } from '@trestle/core';

type MessageEvent = Extract<RemoteEvent, { kind: 'message' }>;
import { chatOf, FetchedMembers, partsOf, reactionImage, reactionKey, senderOf } from './remote-message';
import { remoteUserOf } from './chat-members';
import type { RecentMessages } from './recent-messages';
import type { DiscordConfig } from '../config';
import type { WebhookPool } from './webhook-pool';
import type { ChannelCursors } from './channel-cursors';
import type { LinkApprovals } from './link-approvals';
import { THREAD_OF_MESSAGE_NAMESPACE } from './outbound';
import { portalName, spaceOf } from './portal-name';
import type { MatrixChannelInfo } from './channel-info-from-matrix';

/** Where a key's first handler starts from: a later microtask, never inside `inOrder` itself. */
const settled = Promise.resolve();

/** The {@link DiscordInbound.inOrder} key of changes to a guild itself (its space, its name). */
export function guildQueue(guildId: string): string {
  return `guild:${guildId}`;
}

export class DiscordInbound {
  /** Handlers waiting behind the one running, per {@link inOrder} key (present while one runs). */
  private readonly waiting = new Map<string, Array<() => Promise<void>>>();

  constructor(
    private readonly client: Client<true>,
    private readonly ctx: BridgeContext<DiscordConfig>,
    private readonly webhooks: WebhookPool,
    private readonly cdnBase: string,
    private readonly cursors: ChannelCursors,
    private readonly approvals: LinkApprovals,
    private readonly recent: RecentMessages,
    private readonly channelInfo: MatrixChannelInfo,
  ) {}

  attach(): void {
    const c = this.client;
    c.on(Events.MessageCreate, (m) => {
      if (this.approvals.isApproval(m) && m.inGuild()) {
        this.inOrder(m.channelId, () => this.approvals.approve(m));
        return;
      }
      // Read the message now: the member cache is bounded, so by the time this channel's queue
      // reaches it the author's member (nickname, avatar) may have been evicted.
      const event = this.messageEvent(m);
      if (event) this.queueDelivery(m.channelId, event);
    });
    c.on(Events.MessageUpdate, (_old, m) => this.inOrder(m.channelId, () => this.onEdit(m)));
    c.on(Events.MessageDelete, (m) => this.inOrder(m.channelId, () => this.onDelete(m)));
    c.on(Events.MessageReactionAdd, (r, u) =>
      this.inOrder(r.message.channelId, () => this.onReaction(r, u, true)),
    );
    c.on(Events.MessageReactionRemove, (r, u) =>
      this.inOrder(r.message.channelId, () => this.onReaction(r, u, false)),
    );
    c.on(Events.TypingStart, (t) => this.inOrder(t.channel.id, () => this.onTyping(t)));
    c.on(Events.GuildMemberUpdate, (_old, m) => void this.onMember(m));
    c.on(Events.ChannelUpdate, (_old, ch) => void this.onChannel(ch));
    c.on(Events.GuildUpdate, (old, guild) => this.onGuild(old, guild));
  }

  /**
   * Handle a message read over REST as if it had just arrived (the catch-up after downtime), with
   * the members it names fetched through `members`.
   */
  async onMessage(message: Message, members: FetchedMembers): Promise<void> {
    if (!this.bridged(message)) return;
    const event = this.messageEvent(message, await members.of(message));
    if (event) await this.deliver(event);
  }

  /**
   * The remote event for a Discord message, or undefined when it is not to be bridged. `members`:
   * those it names that were fetched (a message over the gateway brings them into the cache).
   */
  private messageEvent(
    message: Message,
    members?: ReadonlyMap<string, GuildMember>,
  ): MessageEvent | undefined {
    if (!this.bridged(message)) return undefined;
    const { chatId, threadRoot } = chatOf(message);
    const parts = partsOf(message, this.cdnBase, members);
    if (parts.length === 0) return undefined;
    return {
      kind: 'message',
      chatId,
      id: message.id,
      sender: senderOf(message, members?.get(message.author.id) ?? message.member),
      parts,
      ...(message.reference?.messageId && message.reference.channelId === message.channelId
        ? { replyTo: message.reference.messageId }
        : {}),
      ...(threadRoot ? { threadRoot } : {}),
      timestamp: message.createdTimestamp,
    };
  }

  /**
   * A method of its own so that the queued closure holds only the event: one created beside the
   * `Message` would share its scope and keep the whole discord.js structure alive while the message
   * waits in its channel's queue (thousands of them in a burst, all promoted by the GC).
   */
  private queueDelivery(channelId: string, event: MessageEvent): void {
    this.inOrder(channelId, () => this.deliver(event));
  }

  private async deliver(event: MessageEvent): Promise<void> {
    // Matrix users may react to, and moderators redact, thread messages after a restart too.
    if (event.threadRoot) await this.ctx.kv.set(THREAD_OF_MESSAGE_NAMESPACE, event.id, event.threadRoot);
    await this.emit(event);
    this.cursors.advance(event.chatId, event.id);
    // Remembered under the channel it lives in: a thread's id is its starter message's, the thread root.
    await this.recent.bridged(event.threadRoot ?? event.chatId, event.id);
  }

  private async onEdit(update: Message | PartialMessage): Promise<void> {
    await this.onEdited(update.partial ? await update.fetch() : update);
  }

  /**
   * Bridge the current text of an edited message (live, or read over REST by the catch-up: then the
   * members it names are fetched through `fetched`, see {@link FetchedMembers}, once per catch-up run).
   */
  async onEdited(message: Message, fetched = new FetchedMembers(this.ctx.log)): Promise<void> {
    if (!this.bridged(message) || message.editedTimestamp === null) return;
    const members = await fetched.of(message);
    const [text] = partsOf(message, this.cdnBase, members).filter((p) => p.type === 'text');
    if (!text) return;
    await this.emit({
      kind: 'edit',
      chatId: chatOf(message).chatId,
      id: `${message.id}:${message.editedTimestamp}`,
      targetId: message.id,
      sender: senderOf(message, members.get(message.author.id) ?? message.member),
      content: text,
      timestamp: message.editedTimestamp,
    });
    await this.recent.edited(message.channelId, message.id, message.editedTimestamp);
  }

  private async onDelete(message: Message | PartialMessage): Promise<void> {
    if (!this.inAllowedGuild(message.guildId)) return;
    if (message.author?.id === this.client.user.id) return;
    const sender: RemoteUser =
      message.partial || !message.author ? { id: 'unknown' } : senderOf(message as Message);
    await this.onDeleted(chatOf(message).chatId, message.channelId, message.id, sender);
  }

  /**
   * Redact a message deleted on Discord (live, or found missing by the catch-up); `channelId` is
   * where it lived (the portal's channel `chatId`, or one of its threads).
   */
  async onDeleted(
    chatId: string,
    channelId: string,
    messageId: string,
    sender: RemoteUser = { id: 'unknown' },
  ): Promise<void> {
    await this.emit({ kind: 'redaction', chatId, targetId: messageId, sender });
    await this.recent.removed(channelId, messageId);
  }

  private async onReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
    added: boolean,
  ): Promise<void> {
    if (user.id === this.client.user.id || !this.inAllowedGuild(reaction.message.guildId)) return;
    await this.reactionChanged(reaction.message, user.id, user.bot ?? false, reaction.emoji, added);
  }

  /** A reaction added or removed on Discord (live, or found by the catch-up). */
  async reactionChanged(
    message: Message | PartialMessage,
    userId: string,
    isBot: boolean,
    emoji: Emoji | string,
    added: boolean,
  ): Promise<void> {
    const key = typeof emoji === 'string' ? emoji : reactionKey(emoji);
    // Without the member (the cache is bounded) the guild nickname is unknown: keep the ghost's name.
    const member = message.guild?.members.cache.get(userId);
    const sender: RemoteUser = {
      id: userId,
      ...(member ? { displayName: member.displayName } : {}),
      isBot,
    };
    const chatId = chatOf(message).chatId;
    if (added) {
      const image = typeof emoji === 'string' ? undefined : reactionImage(emoji);
      await this.emit({
        kind: 'reaction',
        chatId,
        targetId: message.id,
        sender,
        key,
        ...(image ? { emojiUrl: image } : {}),
      });
    } else {
      await this.emit({ kind: 'reaction-removed', chatId, targetId: message.id, sender, key });
    }
    await this.recent.reacted(message.channelId, message.id, userId, key, added);
  }

  private async onTyping(typing: Typing): Promise<void> {
    if (typing.user.id === this.client.user.id || !typing.inGuild() || !this.inAllowedGuild(typing.guild.id))
      return;
    const sender: RemoteUser = {
      id: typing.user.id,
      displayName: typing.member?.displayName ?? typing.user.displayName ?? typing.user.id,
    };
    const chatId =
      typing.channel.isThread() && typing.channel.parentId ? typing.channel.parentId : typing.channel.id;
    await this.emit({ kind: 'typing', chatId, sender, typing: true });
  }

  /** A nickname or per-guild avatar changed: the ghost's profile follows (Matrix has one name per ghost). */
  private async onMember(member: GuildMember): Promise<void> {
    if (!this.inAllowedGuild(member.guild.id) || member.user.id === this.client.user.id) return;
    await this.emit({ kind: 'profile', user: remoteUserOf(member) });
  }

  private async onChannel(channel: NonThreadGuildBasedChannel | DMChannel): Promise<void> {
    if (channel.isDMBased() || !this.inAllowedGuild(channel.guildId) || !channel.isTextBased()) return;
    // A topic from Matrix still waiting for Discord's limit stays the room's topic.
    const topic =
      'topic' in channel && !this.channelInfo.isTopicWaiting(channel)
        ? (channel.topic ?? undefined)
        : undefined;
    // A rename from Matrix comes back as this channel's slug: keep the room name the Matrix user chose.
    const roomName = (await this.ctx.portalForChat(channel.id))?.name;
    const fromMatrix = this.channelInfo.isNameFromMatrix(channel, roomName);
    await this.emit({
      kind: 'chat-info',
      chatId: channel.id,
      ...(fromMatrix ? {} : { name: portalName(channel) }),
      ...(topic !== undefined ? { topic } : {}),
    });
  }

  /**
   * A guild renamed (or its description or icon changed): its space follows, and so do portal names
   * carrying its name.
   */
  private onGuild(old: Guild, guild: Guild): void {
    if (!this.inAllowedGuild(guild.id)) return;
    if (old.name === guild.name && old.description === guild.description && old.icon === guild.icon) return;
    this.refreshSpace(guild);
    if (old.name !== guild.name) this.renamePortals(guild, old.name);
    if (old.icon !== guild.icon) this.refreshPortalAvatars(guild);
  }

  /**
   * The guild was renamed from `oldName` (live, or while the bridge was down): its portals still
   * named `channel (Old name)` get the new name.
   */
  renamePortals(guild: Guild, oldName: string): void {
    for (const channel of guild.channels.cache.values()) {
      if (channel.isThread()) continue;
      this.inOrder(channel.id, async () => {
        const portal = await this.ctx.portalForChat(channel.id);
        // Only the guild's own portals (those in its space) still named `channel (Old name)`:
        // plumbed rooms and rooms renamed on Matrix keep the names people gave them.
        if (portal?.settings.spaceId !== guild.id) return;
        if (portal.name !== portalName({ name: channel.name, guild: { name: oldName } })) return;
        await this.emit({ kind: 'chat-info', chatId: channel.id, name: portalName(channel) });
      });
    }
  }

  /**
   * The guild's icon changed (live, or while the bridge was down): it becomes the avatar of the
   * guild's own portals, or a removed one is cleared. Plumbed rooms keep the avatar their owners chose.
   */
  refreshPortalAvatars(guild: Guild): void {
    const avatar = spaceOf(guild).avatar ?? null;
    for (const channel of guild.channels.cache.values()) {
      if (channel.isThread()) continue;
      this.inOrder(channel.id, async () => {
        const portal = await this.ctx.portalForChat(channel.id);
        if (!portal || portal.plumbed || portal.settings.spaceId !== guild.id) return;
        await this.emit({ kind: 'chat-info', chatId: channel.id, avatar });
      });
    }
  }

  /**
   * Bring the guild's space (if it has one) up to date: name, description and icon. Also run at
   * start, for what changed while the bridge was away.
   */
  refreshSpace(guild: Guild): void {
    if (!this.inAllowedGuild(guild.id)) return;
    this.inOrder(guildQueue(guild.id), async () => {
      await this.ctx.updateSpace?.(spaceOf(guild));
    });
  }

  /** Guild messages from anyone but the bridge itself (its bot user or its webhooks). */
  private bridged(message: Message): boolean {
    if (!message.inGuild() || !this.inAllowedGuild(message.guildId)) return false;
    if (message.author.id === this.client.user.id) return false;
    if (this.webhooks.isOwn(message.webhookId, message.applicationId)) return false;
    return !message.system;
  }

  /** True for guilds the bridge may bridge (`network.guilds`, or every guild when it is empty). */
  inAllowedGuild(guildId: string | null): boolean {
    if (!guildId) return false;
    const allowed = this.ctx.config.guilds;
    return allowed.length === 0 || allowed.includes(guildId);
  }

  private async emit(event: RemoteEvent): Promise<void> {
    await this.ctx.emit(event);
  }

  /**
   * Run handlers for one channel (or other key) one after another, in the order they were queued;
   * a failure is logged and never blocks the next. A handler never runs inside this call.
   */
  inOrder(channelId: string, handler: () => Promise<void>): void {
    const waiting = this.waiting.get(channelId);
    if (waiting) {
      waiting.push(handler);
      return;
    }
    this.waiting.set(channelId, []);
    void settled.then(() => this.runInOrder(channelId, handler));
  }

  /**
   * Run one handler, then the next one waiting for the key. Handlers wait in a plain array rather
   * than a chain of promises: a busy channel holds thousands in a burst, and each link of a chain
   * costs three promises and two closures that the GC must keep and copy.
   */
  private runInOrder(channelId: string, handler: () => Promise<void>): void {
    const next = () => {
      const following = this.waiting.get(channelId)!.shift();
      if (following) this.runInOrder(channelId, following);
      else this.waiting.delete(channelId);
    };
    let running: Promise<void>;
    try {
      running = handler();
    } catch (err) {
      running = Promise.reject(err as Error);
    }
    running.then(next, (err: unknown) => {
      this.ctx.log.error('discord event not bridged', { network: 'discord', chat: channelId, err });
      next();
    });
  }
}
