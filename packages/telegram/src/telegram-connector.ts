/**
 * The Telegram connector: a bot (Bot API through telegraf's `Telegram` client) that relays between
 * Telegram chats and Matrix portals.
 *
 * Inbound, {@link UpdatePoller} long-polls and confirms an update only after `ctx.emit` resolved,
 * one chat in order, chats in parallel. Outbound, {@link TelegramSender} relays Matrix users with a
 * name prefix. Bot API limits (no deletion updates, no other bots' messages, privacy mode, 20 MB
 * downloads / 50 MB uploads) are declared here and explained by the `telegram-limits` command.
 */
import type {
  AliasResolvingConnector,
  BridgeContext,
  Capabilities,
  ChatInfo,
  ChildChatConnector,
  ChildChatInfo,
  CommandDefinition,
  CommandProvidingConnector,
  Connector,
  DeclinedGhostInvite,
  DirectChatConnector,
  DirectChatInfo,
  GhostInviteConnector,
  MatrixSideEvent,
  Portal,
  PlumbingConnector,
  RemoteRef,
} from '@trestle/core';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { BotApiClient } from './bot-api-client';
import type { TelegramConfig } from './config';
import { UpdatePoller } from './inbound/update-poller';
import { updateToEvents } from './inbound/update-to-events';
import { ProfilePhotos } from './inbound/profile-photos';
import type { KnownPhoto } from './inbound/photo-cache';
import { maxBotUploadBytes, TelegramSender } from './outbound/telegram-sender';
import { maxMessageLength } from './outbound/split-text';
import { SendPacer } from './outbound/send-pacer';
import { SavedPacing } from './outbound/saved-pacing';
import { checkChatLinkable, TelegramChatNotLinkableError } from './linking/link-check';
import { LinkConsent } from './linking/link-consent';
import { BridgeCommand } from './linking/bridge-command';
import { chatGhostAnswer, notPairedAnswer } from './private/ghost-invite-answers';
import { Pairings, pairingCodeLifetimeMs } from './private/pairings';
import { PrivateChats } from './private/private-chats';
import { ForumTopics, parseTopicChatId } from './forum/forum-topics';
import { TopicRoomSender } from './forum/topic-room-sender';
import { ChatPhotos } from './inbound/chat-photos';
import { titleChangeEvent } from './inbound/chat-title';
import { AdminChanges } from './outbound/admin-changes';
import { ChatInfoSender } from './outbound/chat-info-sender';
import { RenameEchoes } from './outbound/rename-echoes';
import { openTopicCommand } from './forum/open-topic-command';
import { telegramLimits } from './telegram-limits';

export { TelegramChatNotLinkableError, telegramLimits };

const allowedUpdates = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'message_reaction',
  'my_chat_member',
];

/** Key/value namespace of the update poller's saved offset. */
const pollerNamespace = 'telegram.poller';

export class TelegramConnector
  implements
    Connector<TelegramConfig>,
    PlumbingConnector,
    AliasResolvingConnector,
    CommandProvidingConnector,
    DirectChatConnector,
    GhostInviteConnector,
    ChildChatConnector
{
  readonly network = 'telegram';
  readonly displayName = 'Telegram';
  readonly capabilities: Capabilities = {
    edits: true,
    redactions: true,
    reactions: true,
    replies: true,
    threads: true,
    typing: true,
    media: true,
    maxMessageLength,
    maxMediaBytes: maxBotUploadBytes,
  };

  private ctx: BridgeContext<TelegramConfig> | undefined;
  private telegram: BotApiClient | undefined;
  private me: UserFromGetMe | undefined;
  private poller: UpdatePoller | undefined;
  private sender: TelegramSender | undefined;
  /** Carries the send pacer's windows over to the next process (when pacing is on). */
  private savedPacing: SavedPacing | undefined;
  private photos: ProfilePhotos | undefined;
  private consent: LinkConsent | undefined;
  private bridgeCommand: BridgeCommand | undefined;
  private pairings: Pairings | undefined;
  private privateChats: PrivateChats | undefined;
  /** Set when forum topics are bridged as rooms (`forum_topics: rooms`). */
  private topics: ForumTopics | undefined;
  private topicRooms: TopicRoomSender | undefined;
  private chatInfo: ChatInfoSender | undefined;
  private adminChanges: AdminChanges | undefined;
  /** Renames the bridge made on Telegram, whose announcements must not come back (see RenameEchoes). */
  private readonly renameEchoes = new RenameEchoes();
  private chatPhotos: ChatPhotos | undefined;
  /** Usernames seen in updates -> user id, to turn `@username` mentions into pills. */
  private readonly usernames = new Map<string, string>();

  constructor(private readonly options: { pollRetryDelayMs?: number } = {}) {}

  async start(ctx: BridgeContext<TelegramConfig>): Promise<void> {
    this.ctx = ctx;
    const telegram = new BotApiClient(ctx.config.bot_token, ctx.config.api_root);
    this.telegram = telegram;
    this.me = await telegram.getMe();
    await telegram.deleteWebhook();
    const pacing = ctx.config.send_pacing;
    const pacer = pacing.enabled
      ? new SendPacer({ privateChat: pacing.private_chat, group: pacing.group, overall: pacing.overall })
      : undefined;
    if (pacer) {
      this.savedPacing = new SavedPacing(pacer, ctx.kv, this.me.id, ctx.log);
      await this.savedPacing.start();
    }
    this.sender = new TelegramSender(
      telegram,
      ctx.config.relay,
      (remoteId) => (remoteId && /^\d+$/.test(remoteId) ? Number(remoteId) : undefined),
      pacer,
    );
    this.consent = new LinkConsent(ctx.kv);
    this.bridgeCommand = new BridgeCommand(telegram, this.me, this.consent, (chatId, reason) =>
      ctx.unlinkChat(chatId, reason),
    );
    this.pairings = new Pairings(ctx.kv);
    this.privateChats = new PrivateChats({
      telegram,
      me: this.me,
      pairings: this.pairings,
      unlink: (chatId, reason) => ctx.unlinkChat(chatId, reason),
    });
    if (ctx.config.forum_topics === 'rooms')
      this.topics = new ForumTopics(ctx.kv, async (space) => (await ctx.updateSpace?.(space)) ?? false);
    this.adminChanges = new AdminChanges({
      botUsername: this.me.username,
      notice: (roomId, text) => ctx.notice(roomId, text),
    });
    this.topicRooms = new TopicRoomSender({
      telegram,
      sender: this.sender,
      topics: this.topics,
      adminChanges: this.adminChanges,
      echoes: this.renameEchoes,
    });
    this.chatInfo = new ChatInfoSender({
      telegram,
      adminChanges: this.adminChanges,
      echoes: this.renameEchoes,
      renamed: (chatId, title) => this.renameForumSpace(chatId, title),
    });
    this.chatPhotos = new ChatPhotos({
      telegram,
      fetchFile: (fileId) => this.fetchFile(fileId),
      log: ctx.log,
      hasPortal: async (chatId) => (await ctx.portalForChat(chatId)) !== undefined,
      emit: (event) => ctx.emit(event),
    });
    this.photos = new ProfilePhotos(telegram, (fileId) => this.fetchFile(fileId), ctx.log);
    // Update ids are per bot: a token of another bot must not inherit this one's offset.
    const offsetKey = `offset:${this.me.id}`;
    const savedOffset = await ctx.kv.get<number>(pollerNamespace, offsetKey);
    this.poller = new UpdatePoller(telegram, (update) => this.handleUpdate(update), ctx.log, {
      timeoutSeconds: ctx.config.poll_timeout_seconds,
      ...(savedOffset !== undefined ? { initialOffset: savedOffset } : {}),
      commitOffset: (offset) => ctx.kv.set(pollerNamespace, offsetKey, offset),
      allowedUpdates,
      ...(this.options.pollRetryDelayMs !== undefined ? { retryDelayMs: this.options.pollRetryDelayMs } : {}),
    });
    this.poller.start();
    ctx.log.info('telegram bot polling', {
      bot: this.me.username,
      privacy: !this.me.can_read_all_group_messages,
    });
  }

  async stop(): Promise<void> {
    this.chatPhotos?.stop();
    await this.poller?.stop();
    await this.savedPacing?.stop();
    await this.telegram?.closeConnections();
  }

  async send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    const topic = parseTopicChatId(portal.chatId);
    if (topic) return this.topicRooms!.send(portal, topic, event);
    if (event.kind === 'name' || event.kind === 'topic') {
      await this.chatInfo!.send(portal, event);
      return [];
    }
    const pairedWith =
      portal.kind === 'dm' ? (await this.pairings?.pairingOf(portal.chatId))?.matrixUserId : undefined;
    return this.requireSender().send(portal, event, pairedWith);
  }

  /**
   * With `forum_topics: rooms`, a message in a forum topic without a room yet: the topic's room, in a
   * space for the forum (the core creates it when the forum has a portal).
   */
  async childChatFor(chatId: string): Promise<ChildChatInfo | undefined> {
    return this.topics?.childChatFor(chatId);
  }

  /**
   * A message in a private chat with the bot that has no portal yet: a direct room with the Matrix
   * user the Telegram user paired with (unpaired private chats never get this far, see {@link PrivateChats}).
   */
  async directChatFor(chatId: string): Promise<DirectChatInfo | undefined> {
    if (!isPerson(chatId)) return undefined;
    const pairing = await this.pairings?.pairingOf(chatId);
    if (!pairing) return undefined;
    const person = await this.personInfo(chatId);
    return {
      chatId,
      kind: 'dm',
      name: person.displayName,
      members: [person],
      invite: [pairing.matrixUserId],
    };
  }

  /**
   * A Matrix user invited a Telegram user's ghost into a direct room: it becomes the portal of that
   * user's private chat with the bot, if the Telegram user paired with this Matrix user; otherwise the
   * ghost says how to pair (or, for the ghost of a chat, that a chat has no private chat).
   */
  async directChatWithGhost(remoteUserId: string, inviter: string): Promise<ChatInfo | DeclinedGhostInvite> {
    if (!isPerson(remoteUserId)) return { declined: chatGhostAnswer };
    const pairing = await this.requirePairings().pairingOf(remoteUserId);
    if (pairing?.matrixUserId !== inviter) {
      this.ctx?.log.info('direct chat with a Telegram user who has not paired with the inviter declined', {
        user: remoteUserId,
      });
      const name = await this.personInfo(remoteUserId).then(
        (person) => person.displayName,
        () => undefined, // the user never wrote to the bot: no name to give
      );
      const ctx = this.ctx!;
      return {
        declined: notPairedAnswer(name, {
          botUserId: ctx.botUserId,
          commandPrefix: ctx.commandPrefix,
          botUsername: this.me!.username,
        }),
      };
    }
    const person = await this.personInfo(remoteUserId);
    return { chatId: remoteUserId, kind: 'dm', name: person.displayName, members: [person] };
  }

  /** A Telegram user's name, from their private chat with the bot. */
  private async personInfo(userId: string): Promise<{ id: string; displayName: string }> {
    const chat = await this.requireTelegram().getChat(userId);
    const name = 'first_name' in chat ? [chat.first_name, chat.last_name].filter(Boolean).join(' ') : userId;
    return { id: userId, displayName: name };
  }

  /**
   * Check that the bot is in the chat and can see it (admin, or privacy off), and — unless
   * `link_approval` is `none` — that an admin of the Telegram chat approved with `/bridge` (the
   * chat is asked when not); name the fix otherwise.
   */
  async prepareLink(chatId: string, requestedBy = 'A Matrix user'): Promise<ChatInfo> {
    const chat = await this.approvedChat(chatId, requestedBy);
    if (chat.kind !== 'dm') this.chatPhotos?.afterLink(chat.chatId);
    return chat;
  }

  /**
   * `#telegram_<chat id or public username>`: a portal for a group, supergroup or channel the bot
   * can read and (by default) a Telegram admin approved. Private chats are refused (an alias room is
   * public). Nothing is posted on Telegram: anyone on the homeserver can query aliases.
   */
  async resolveAlias(localpart: string): Promise<ChatInfo | undefined> {
    try {
      const chat = await this.approvedChat(localpart);
      if (chat.kind === 'dm') return undefined;
      this.chatPhotos?.afterLink(chat.chatId);
      return chat;
    } catch (error) {
      this.ctx?.log.info('alias names no linkable Telegram chat', {
        alias: localpart,
        err: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  /** The chat, if linkable and approved; with `askAs`, an unapproved chat is asked to approve. */
  private async approvedChat(chatId: string, askAs?: string): Promise<ChatInfo> {
    const telegram = this.requireTelegram();
    const chat = await checkChatLinkable(telegram, this.me!, chatId, (id) => this.isAllowed(id));
    if (chat.kind === 'dm' || this.ctx!.config.link_approval === 'none') return chat;
    if (await this.consent!.take(chat.chatId)) return chat;
    if (askAs) {
      await telegram.sendMessage(
        chat.chatId,
        `${askAs} wants to bridge this chat to Matrix. An admin of this chat can approve by sending /bridge here.`,
      );
    }
    throw new TelegramChatNotLinkableError(
      chat.chatId,
      `Waiting for approval from Telegram: an admin of "${chat.name}" must send /bridge in that chat${askAs ? ' (the bot just asked there)' : ''}. Then try again within an hour.`,
    );
  }

  commands(): CommandDefinition[] {
    return [
      {
        name: 'pair',
        summary:
          'Get a code that bridges a Telegram user’s private chat with the bot to a direct room with you.',
        level: 'user',
        run: async (command) => {
          const code = await this.requirePairings().issueCode(command.sender);
          await command.reply(
            `Your pairing code is ${code}. The Telegram user sends "/pair ${code}" to @${this.me!.username} in a private chat within ${pairingCodeLifetimeMs / 60_000} minutes; from then on that chat is bridged to a direct room with you. You can also start it yourself by inviting their ghost to a direct chat.`,
          );
        },
      },
      openTopicCommand(() => ({
        telegram: this.requireTelegram(),
        adminChanges: this.adminChanges!,
        portalForRoom: (roomId) => this.ctx!.portalForRoom(roomId),
        forumTopics: this.ctx!.config.forum_topics,
      })),
      {
        name: 'telegram-limits',
        summary: 'What the Telegram Bot API does not let the bridge see or do.',
        run: (command) => command.reply(telegramLimits.map((line) => `• ${line}`).join('\n')),
      },
    ];
  }

  private async handleUpdate(update: Update): Promise<void> {
    const ctx = this.ctx!;
    this.rememberUsernames(update);
    this.noteServiceChanges(update);
    // Telegram announcing a rename the bridge made from Matrix: the room already has that name.
    if (this.renameEchoes.isEcho(update)) return;
    if (await this.bridgeCommand!.handle(update)) return;
    if (await this.privateChats!.handle(update)) return;
    const migration = migrationOf(update);
    if (migration) await ctx.emit({ kind: 'chat-migrated', ...migration });
    const mapped = updateToEvents(update, {
      fetchFile: (fileId) => this.fetchFile(fileId),
      resolveUsername: (name) => this.usernames.get(name.toLowerCase()),
    });
    const events = this.topics ? await this.topics.route(update, mapped) : mapped;
    const rename = this.topics?.renameEvent(update);
    if (rename) events.push(rename);
    events.push(...this.chatPhotos!.changeEvents(update));
    const titleChange = titleChangeEvent(update);
    if (titleChange) events.push(titleChange);
    for (const event of events) {
      // A profile here is that of the ghost that speaks for the chat (its new photo, see ChatPhotos).
      const eventChat = 'chatId' in event ? event.chatId : event.user.id;
      const chatId = parseTopicChatId(eventChat)?.forumChatId ?? eventChat;
      // Private chats are not linked by admins: the pairing is their permission (see PrivateChats).
      if (!isPerson(chatId) && !this.isAllowed(chatId)) continue;
      const bridged = isPerson(chatId) || (await ctx.portalForChat(chatId));
      if (event.kind === 'profile' && !bridged) continue;
      if ('sender' in event && bridged) {
        const avatar = await this.avatarFor(event.sender.id);
        if (avatar !== undefined) event.sender.avatar = avatar;
      }
      await ctx.emit(event);
      if (event === titleChange) await this.renameForumSpace(chatId, titleChange.name);
    }
  }

  /**
   * With `forum_topics: rooms`, a renamed group's space (it has one once a topic has a room) takes the new
   * name. The space only groups the rooms, so a failure is logged rather than holding up the chat.
   */
  private async renameForumSpace(chatId: string, title: string): Promise<void> {
    await this.topics
      ?.forumRenamed(chatId, title)
      .catch((err: unknown) => this.ctx!.log.warn('forum space not renamed', { chat: chatId, err }));
  }

  /** A sender's avatar: a person's profile photo, or for a chat speaking as itself, the chat's photo. */
  private avatarFor(senderId: string): Promise<KnownPhoto> {
    return isPerson(senderId) ? this.photos!.avatarFor(senderId) : this.chatPhotos!.avatarFor(senderId);
  }

  private noteServiceChanges(update: Update): void {
    const log = this.ctx!.log;
    const migration = migrationOf(update);
    if (migration) log.info('telegram group became a supergroup; the portal follows it', migration);
    if ('my_chat_member' in update) {
      log.info('telegram bot membership changed', {
        chat: update.my_chat_member.chat.id,
        status: update.my_chat_member.new_chat_member.status,
      });
    }
  }

  private rememberUsernames(update: Update): void {
    const from =
      'message' in update
        ? update.message.from
        : 'edited_message' in update
          ? update.edited_message.from
          : undefined;
    if (from?.username) this.usernames.set(from.username.toLowerCase(), String(from.id));
  }

  private async fetchFile(fileId: string): Promise<Buffer> {
    const link = await this.requireTelegram().getFileLink(fileId);
    const response = await fetch(link);
    if (!response.ok) throw new Error(`telegram file download failed: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  private isAllowed(chatId: string): boolean {
    const allowed = this.ctx?.config.allowed_chats ?? [];
    return allowed.length === 0 || allowed.includes(chatId);
  }

  private requireTelegram(): BotApiClient {
    if (!this.telegram) throw new Error('the Telegram connector is not started');
    return this.telegram;
  }

  private requirePairings(): Pairings {
    if (!this.pairings) throw new Error('the Telegram connector is not started');
    return this.pairings;
  }

  private requireSender(): TelegramSender {
    if (!this.sender) throw new Error('the Telegram connector is not started');
    return this.sender;
  }
}

/** Create the connector for the core to drive (checked against the contract at compile time). */
export function createTelegramConnector(options: { pollRetryDelayMs?: number } = {}) {
  return new TelegramConnector(options) satisfies Connector<TelegramConfig> &
    PlumbingConnector &
    AliasResolvingConnector &
    CommandProvidingConnector &
    DirectChatConnector &
    GhostInviteConnector &
    ChildChatConnector;
}

/** Telegram users have positive ids; chats posting as themselves (channels, anonymous admins) negative. */
function isPerson(remoteId: string): boolean {
  return /^\d+$/.test(remoteId);
}

/** A group's upgrade to a supergroup, from the `migrate_to_chat_id` service message in the old group. */
function migrationOf(update: Update): { chatId: string; newChatId: string } | undefined {
  if (!('message' in update) || !('migrate_to_chat_id' in update.message)) return undefined;
  return { chatId: String(update.message.chat.id), newChatId: String(update.message.migrate_to_chat_id) };
}
