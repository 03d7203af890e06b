/**
 * Matrix -> Discord. Matrix users speak through the channel's bridge webhook under their own
 * (disambiguated) name; edits and deletes of those messages go through the webhook's message
 * routes; reactions and typing come from the bot. Every failure becomes a RemoteSendError.
 */
import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  type AnyThreadChannel,
  type Client,
  type Message,
  type TextChannel,
  type APIAllowedMentions,
  type RESTPostAPIWebhookWithTokenJSONBody,
  type RESTPostAPIWebhookWithTokenWaitResult,
  type Webhook,
} from 'discord.js';
import type {
  Inline,
  KeyValueStore,
  MatrixSideEvent,
  MatrixUser,
  MessageContent,
  Portal,
  RemoteRef,
  RichText,
} from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import type { DiscordConfig } from '../config';
import { irToDiscord } from '../format';
import { toRemoteSendError } from './send-errors';
import { WebhookIdentities } from './webhook-identity';
import type { WebhookPool } from './webhook-pool';
import type { WebhookPoster } from './webhook-poster';
import type { MemberNames } from './member-names';
import type { RecentMessages } from './recent-messages';
import type { MatrixChannelInfo } from './channel-info-from-matrix';

/** Discord's message length limit. */
export const MAX_MESSAGE_LENGTH = 2000;
/** Discord's upload limit for servers without boosts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/**
 * kv namespace: message id -> the thread it lives in, for messages outside their portal's channel
 * (edits, deletes and reactions must find them again, also after a restart).
 */
export const THREAD_OF_MESSAGE_NAMESPACE = 'discord.thread-of-message';

interface RenderedMessage {
  content: string;
  files: Array<{ attachment: Buffer; name: string }>;
  users: string[];
  roles: string[];
  everyone: boolean;
}

export class DiscordOutbound {
  private readonly identities: WebhookIdentities;

  constructor(
    private readonly client: Client<true>,
    private readonly config: DiscordConfig,
    private readonly webhooks: WebhookPool,
    private readonly kv: KeyValueStore,
    private readonly memberNames: MemberNames,
    private readonly recent: RecentMessages,
    private readonly channelInfo: MatrixChannelInfo,
    private readonly poster: WebhookPoster,
  ) {
    this.identities = new WebhookIdentities(config.displayNameSuffix);
  }

  async send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    try {
      switch (event.kind) {
        case 'message':
          return await this.message(portal, event);
        case 'edit':
          return await this.edit(portal, event.target, event.content);
        case 'redaction':
          for (const ref of event.target) await this.remove(portal, ref.id);
          return [];
        case 'reaction':
          await this.react(portal, event.target.id, event.key, true);
          return [{ id: event.target.id }];
        case 'reaction-removed':
          await this.react(portal, event.target.id, event.key, false);
          return [];
        case 'typing':
          if (event.typing) await (await this.textChannel(portal.chatId)).sendTyping();
          return [];
        case 'topic':
        case 'name':
          if (this.config.channelInfoFromMatrix)
            await this.channelInfo.apply(await this.textChannel(portal.chatId), event, event.sender);
          return [];
        default:
          // Membership is not mirrored: Matrix users speak through the webhook, they do not join.
          return [];
      }
    } catch (err) {
      throw toRemoteSendError(err, `${event.kind} in channel ${portal.chatId}`);
    }
  }

  private async message(
    portal: Portal,
    event: Extract<MatrixSideEvent, { kind: 'message' }>,
  ): Promise<RemoteRef[]> {
    const channel = await this.textChannel(portal.chatId);
    const thread = event.threadRoot ? await this.thread(event.threadRoot.id) : undefined;
    const target = thread ?? channel;
    const rendered = await this.render(event.content);
    const quote = event.replyTo ? await this.replyQuote(target, event.replyTo.id) : '';
    const chunks = splitMessage(quote + rendered.content);
    let webhook = await this.webhooks.forChannel(channel);
    const username = this.identities.nameFor(channel.guildId, event.sender, (name) =>
      this.memberNames.has(channel.guildId, name),
    );
    const refs: RemoteRef[] = [];
    const avatarUrl = this.avatarUrl(event.sender);
    // discord.js spells the mention types as strings, the API types as an enum of the same strings.
    const allowedMentions = this.allowedMentions(rendered) as APIAllowedMentions;
    for (let part = 0; part < chunks.length; part++) {
      const chunk = chunks[part]!;
      const body: RESTPostAPIWebhookWithTokenJSONBody = { username, allowed_mentions: allowedMentions };
      if (chunk) body.content = chunk;
      if (avatarUrl) body.avatar_url = avatarUrl;
      const files = part === chunks.length - 1 ? rendered.files : [];
      let sent: RESTPostAPIWebhookWithTokenWaitResult;
      try {
        sent = await this.executeWebhook(webhook, thread?.id, body, files);
      } catch (err) {
        if (!(err instanceof DiscordAPIError) || err.code !== RESTJSONErrorCodes.UnknownWebhook) throw err;
        // Someone deleted the bridge's webhook on Discord: make another and post again.
        this.webhooks.forget(channel.id);
        webhook = await this.webhooks.forChannel(channel);
        sent = await this.executeWebhook(webhook, thread?.id, body, files);
      }
      // Remembered so that the catch-up after downtime sees it deleted or reacted to on Discord.
      if (thread) await this.kv.set(THREAD_OF_MESSAGE_NAMESPACE, sent.id, thread.id);
      await this.recent.bridged(target.id, sent.id, true);
      refs.push(chunks.length > 1 ? { id: sent.id, part } : { id: sent.id });
    }
    return refs;
  }

  /**
   * Post through the webhook. A plain message goes out through {@link WebhookPoster} (the one call made per
   * Matrix message, kept cheap); one with files through discord.js, which builds the multipart upload.
   */
  private executeWebhook(
    webhook: Webhook,
    threadId: string | undefined,
    body: RESTPostAPIWebhookWithTokenJSONBody,
    files: RenderedMessage['files'],
  ): Promise<RESTPostAPIWebhookWithTokenWaitResult> {
    if (files.length === 0)
      return this.poster.execute({ id: webhook.id, token: webhook.token! }, threadId, body);
    const query = new URLSearchParams({ wait: 'true', ...(threadId ? { thread_id: threadId } : {}) });
    return this.client.rest.post(Routes.webhook(webhook.id, webhook.token!), {
      auth: false,
      query,
      body,
      files: files.map((f) => ({ name: f.name, data: f.attachment })),
    }) as Promise<RESTPostAPIWebhookWithTokenWaitResult>;
  }

  private async edit(portal: Portal, targets: RemoteRef[], content: MessageContent): Promise<RemoteRef[]> {
    const first = targets[0];
    if (!first) return [];
    const { message, webhook, threadId } = await this.locate(portal, first.id);
    const rendered = await this.render(content);
    const text = splitMessage(rendered.content)[0] ?? '';
    const options = { content: text, allowedMentions: this.allowedMentions(rendered) };
    if (webhook) await webhook.editMessage(message.id, { ...options, ...(threadId ? { threadId } : {}) });
    else await message.edit(options);
    return [{ id: message.id }];
  }

  private async remove(portal: Portal, messageId: string): Promise<void> {
    const { message, webhook, threadId } = await this.locate(portal, messageId);
    if (webhook) await webhook.deleteMessage(message.id, threadId);
    else await message.delete();
    await this.kv.delete(THREAD_OF_MESSAGE_NAMESPACE, messageId);
    await this.recent.removed(message.channelId, messageId);
  }

  private async react(portal: Portal, messageId: string, key: string, add: boolean): Promise<void> {
    const { message } = await this.locate(portal, messageId);
    const emoji = await this.emojiFor(message, key);
    const route = Routes.channelMessageOwnReaction(message.channelId, message.id, encodeURIComponent(emoji));
    if (add) await this.client.rest.put(route);
    else await this.client.rest.delete(route);
  }

  /**
   * A guild emoji whose name matches `:name:` (or `name`), else the key itself (a unicode emoji).
   * The bridge does not take emoji update events, so a miss refreshes the guild's emoji list.
   */
  private async emojiFor(message: Message, key: string): Promise<string> {
    const name = /^:?([\w~]+):?$/.exec(key)?.[1];
    const guild = message.guild;
    if (!name || !guild) return key;
    const find = () => guild.emojis.cache.find((e) => e.name === name);
    const custom = find() ?? (await guild.emojis.fetch().then(find));
    return custom ? `${custom.name}:${custom.id}` : key;
  }

  /** The message, and the bridge webhook that posted it (if one did). */
  private async locate(
    portal: Portal,
    messageId: string,
  ): Promise<{ message: Message; webhook?: Webhook; threadId?: string }> {
    const channelId = (await this.kv.get<string>(THREAD_OF_MESSAGE_NAMESPACE, messageId)) ?? portal.chatId;
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isTextBased() || channel.isDMBased())
      throw new RemoteSendError(`Discord channel ${channelId} is not a guild text channel`);
    const message = await channel.messages.fetch(messageId);
    if (!message.webhookId || !this.webhooks.isOwn(message.webhookId, message.applicationId))
      return { message };
    const parent = channel.isThread() ? await this.textChannel(channel.parentId!) : (channel as TextChannel);
    const webhook = await this.webhooks.forChannel(parent);
    return { message, webhook, ...(channel.isThread() ? { threadId: channel.id } : {}) };
  }

  private async render(content: MessageContent): Promise<RenderedMessage> {
    const rendered: RenderedMessage = { content: '', files: [], users: [], roles: [], everyone: false };
    switch (content.type) {
      case 'text': {
        const body = content.msgtype === 'emote' ? italicise(content.body) : content.body;
        collectMentions(body, rendered);
        rendered.content = irToDiscord(body, { allowEveryone: this.config.mentions.everyone });
        return rendered;
      }
      case 'media': {
        if (content.size !== undefined && content.size > MAX_UPLOAD_BYTES)
          throw tooLarge(content.name, content.size);
        const data = await content.source.fetch();
        if (data.length > MAX_UPLOAD_BYTES) throw tooLarge(content.name, data.length);
        rendered.files.push({ attachment: data, name: content.name });
        if (content.caption) {
          collectMentions(content.caption, rendered);
          rendered.content = irToDiscord(content.caption, { allowEveryone: this.config.mentions.everyone });
        }
        return rendered;
      }
      case 'location': {
        const where = `${content.latitude.toFixed(5)},${content.longitude.toFixed(5)}`;
        const label = content.description ? `${content.description} ` : '';
        rendered.content = `📍 ${label}https://www.openstreetmap.org/?mlat=${content.latitude}&mlon=${content.longitude} (${where})`;
        return rendered;
      }
    }
  }

  /** Only what the message really mentions may ping (the guard against injected @everyone). */
  private allowedMentions(rendered: RenderedMessage) {
    return {
      parse: rendered.everyone && this.config.mentions.everyone ? ['everyone' as const] : [],
      users: rendered.users.slice(0, 100),
      roles: this.config.mentions.roles ? rendered.roles.slice(0, 100) : [],
    };
  }

  /** Webhooks cannot reply natively, so a reply starts with a quote line linking to the original. */
  private async replyQuote(channel: TextChannel | AnyThreadChannel, messageId: string): Promise<string> {
    const original = await channel.messages.fetch(messageId).catch(() => undefined);
    if (!original) return '';
    const who = original.member?.displayName ?? original.author.displayName;
    const snippet = original.content.replace(/\s+/g, ' ').slice(0, 80);
    const quoted = snippet ? `${snippet}${original.content.length > 80 ? '…' : ''}` : '(attachment)';
    const rich: RichText = {
      blocks: [
        {
          type: 'quote',
          children: [
            {
              type: 'paragraph',
              children: [
                { type: 'bold', children: [{ type: 'text', text: who }] },
                { type: 'text', text: ` ${quoted}` },
              ],
            },
          ],
        },
      ],
    };
    return `${irToDiscord(rich)}\n-# [↪ reply](${original.url})\n`;
  }

  private avatarUrl(sender: MatrixUser): string | undefined {
    const base = this.config.publicMediaUrl;
    const mxc = sender.avatarMxc ? /^mxc:\/\/([^/]+)\/(.+)$/.exec(sender.avatarMxc) : null;
    return base && mxc ? `${base.replace(/\/$/, '')}/${mxc[1]}/${mxc[2]}` : undefined;
  }

  private async textChannel(channelId: string): Promise<TextChannel> {
    // The cache first: discord.js's fetch() would find it there too, after two promises of its own.
    const channel =
      this.client.channels.cache.get(channelId) ?? (await this.client.channels.fetch(channelId));
    if (!channel || !channel.isTextBased() || channel.isDMBased() || channel.isThread()) {
      throw new RemoteSendError(`Discord channel ${channelId} is not a guild text channel`, {
        retryable: false,
      });
    }
    return channel as TextChannel;
  }

  private async thread(threadId: string): Promise<AnyThreadChannel | undefined> {
    const channel = await this.client.channels.fetch(threadId).catch(() => null);
    return channel?.isThread() ? channel : undefined;
  }
}

function tooLarge(name: string, bytes: number): RemoteSendError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new RemoteSendError(
    `File "${name}" is too large for Discord (${mb(bytes)} MB, limit ${mb(MAX_UPLOAD_BYTES)} MB)`,
    {
      retryable: false,
      status: 413,
    },
  );
}

function collectMentions(ir: RichText, into: RenderedMessage): void {
  const visit = (nodes: Inline[]) => {
    for (const node of nodes) {
      if (node.type === 'mention') {
        if (node.target.kind === 'user' && node.target.remoteId) into.users.push(node.target.remoteId);
        if (node.target.kind === 'role') into.roles.push(node.target.remoteId);
        if (node.target.kind === 'everyone') into.everyone = true;
      } else if ('children' in node) visit(node.children);
    }
  };
  const walk = (blocks: RichText['blocks']) => {
    for (const block of blocks) {
      if (block.type === 'paragraph' || block.type === 'heading') visit(block.children);
      else if (block.type === 'quote') walk(block.children);
      else if (block.type === 'list') block.items.forEach(walk);
    }
  };
  walk(ir.blocks);
}

/** An emote (`/me`) reads as italic text under the sender's name. */
function italicise(ir: RichText): RichText {
  return {
    blocks: ir.blocks.map((b) =>
      b.type === 'paragraph'
        ? { type: 'paragraph', children: [{ type: 'italic', children: b.children }] }
        : b,
    ),
  };
}

/** Split at line ends (or hard at the limit) so each piece fits Discord's 2000 characters. */
export function splitMessage(content: string): string[] {
  if (content.length <= MAX_MESSAGE_LENGTH) return [content];
  const chunks: string[] = [];
  let rest = content;
  while (rest.length > MAX_MESSAGE_LENGTH) {
    const cut = rest.lastIndexOf('\n', MAX_MESSAGE_LENGTH);
    const at = cut > MAX_MESSAGE_LENGTH / 2 ? cut : MAX_MESSAGE_LENGTH;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  chunks.push(rest);
  return chunks;
}
