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
  BridgeContext,
  Capabilities,
  ChatInfo,
  CommandDefinition,
  CommandProvidingConnector,
  Connector,
  MatrixSideEvent,
  Portal,
  PlumbingConnector,
  RemoteRef,
} from '@trestle/core';
import { Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { TelegramConfig } from './config';
import { UpdatePoller } from './inbound/update-poller';
import { updateToEvents } from './inbound/update-to-events';
import { maxBotUploadBytes, TelegramSender } from './outbound/telegram-sender';
import { maxMessageLength } from './outbound/split-text';

const allowedUpdates = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'message_reaction',
  'my_chat_member',
];

/** What a Telegram bot cannot do, in words for `help` and docs. */
export const telegramLimits = [
  'Telegram does not tell bots about deleted messages, so deletions on Telegram stay visible on Matrix.',
  "Bots never see other bots' messages.",
  'With privacy mode on (the default), a bot that is not an admin sees only commands and replies to it: make the bot an admin or disable privacy in @BotFather.',
  'Reactions reach the bridge only when the bot is an admin; the bot itself can set one reaction per message from Telegram’s fixed set.',
  'Bots download files up to 20 MB and upload up to 50 MB.',
];

export class TelegramChatNotLinkableError extends Error {
  constructor(
    readonly chatId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'TelegramChatNotLinkableError';
  }
}

export class TelegramConnector
  implements Connector<TelegramConfig>, PlumbingConnector, CommandProvidingConnector
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
  private telegram: Telegram | undefined;
  private me: UserFromGetMe | undefined;
  private poller: UpdatePoller | undefined;
  private sender: TelegramSender | undefined;
  /** Usernames seen in updates -> user id, to turn `@username` mentions into pills. */
  private readonly usernames = new Map<string, string>();

  constructor(private readonly options: { pollRetryDelayMs?: number } = {}) {}

  async start(ctx: BridgeContext<TelegramConfig>): Promise<void> {
    this.ctx = ctx;
    const telegram = new Telegram(ctx.config.bot_token, { apiRoot: ctx.config.api_root });
    this.telegram = telegram;
    this.me = await telegram.getMe();
    await telegram.deleteWebhook();
    this.sender = new TelegramSender(telegram, ctx.config.relay, (remoteId) =>
      remoteId && /^\d+$/.test(remoteId) ? Number(remoteId) : undefined,
    );
    this.poller = new UpdatePoller(telegram, (update) => this.handleUpdate(update), ctx.log, {
      timeoutSeconds: ctx.config.poll_timeout_seconds,
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
    await this.poller?.stop();
  }

  send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    return this.requireSender().send(portal, event);
  }

  /** Check that the bot is in the chat and can see it (admin, or privacy off); name the fix otherwise. */
  async prepareLink(chatId: string): Promise<ChatInfo> {
    const telegram = this.requireTelegram();
    this.checkAllowed(chatId);
    const chat = await telegram.getChat(chatId).catch((error: unknown) => {
      throw new TelegramChatNotLinkableError(
        chatId,
        `Telegram chat ${chatId} is unknown to the bot: add @${this.me?.username} to it first (${String(error)}).`,
      );
    });
    const kind: ChatInfo['kind'] =
      chat.type === 'private' ? 'dm' : chat.type === 'channel' ? 'channel' : 'group';
    if (chat.type !== 'private') {
      const member = await telegram.getChatMember(chatId, this.me!.id);
      const admin = member.status === 'administrator' || member.status === 'creator';
      if (member.status === 'left' || member.status === 'kicked') {
        throw new TelegramChatNotLinkableError(
          chatId,
          `@${this.me?.username} is not in this chat: add it to the chat first.`,
        );
      }
      if (chat.type === 'channel' && !admin) {
        throw new TelegramChatNotLinkableError(
          chatId,
          `@${this.me?.username} must be an administrator of the channel to see its posts.`,
        );
      }
      if (!admin && !this.me?.can_read_all_group_messages) {
        throw new TelegramChatNotLinkableError(
          chatId,
          `@${this.me?.username} has privacy mode on and is not an admin here, so it would only see commands. Fix: make it an admin of the group, or in @BotFather send /setprivacy, choose the bot, pick Disable, then remove and re-add it to the group.`,
        );
      }
    }
    const title = 'title' in chat ? chat.title : [chat.first_name, chat.last_name].filter(Boolean).join(' ');
    return { chatId: String(chat.id), name: title, kind };
  }

  commands(): CommandDefinition[] {
    return [
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
    const events = updateToEvents(update, {
      fetchFile: (fileId) => this.fetchFile(fileId),
      resolveUsername: (name) => this.usernames.get(name.toLowerCase()),
    });
    for (const event of events) {
      if ('chatId' in event && !this.isAllowed(event.chatId)) continue;
      await ctx.emit(event);
    }
  }

  private noteServiceChanges(update: Update): void {
    const log = this.ctx!.log;
    if ('message' in update && 'migrate_to_chat_id' in update.message) {
      log.warn('telegram group became a supergroup; relink the portal to the new chat id', {
        chat: update.message.chat.id,
        newChat: update.message.migrate_to_chat_id,
      });
    }
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

  private checkAllowed(chatId: string): void {
    if (!this.isAllowed(chatId))
      throw new TelegramChatNotLinkableError(
        chatId,
        `Telegram chat ${chatId} is not in network.allowed_chats.`,
      );
  }

  private requireTelegram(): Telegram {
    if (!this.telegram) throw new Error('the Telegram connector is not started');
    return this.telegram;
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
    CommandProvidingConnector;
}
