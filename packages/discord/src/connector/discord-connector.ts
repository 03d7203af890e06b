/**
 * The Discord connector: guild text channels as portals, Discord users as ghosts, Matrix users
 * through per-channel webhooks. Opt-in abilities: alias portals (`<guild>_<channel>`), plumbing,
 * backfill of what was said while the bridge was away, and a `discord-check` command.
 */
import {
  Client,
  DefaultRestOptions,
  DiscordjsErrorCodes,
  Partials,
  PermissionFlagsBits,
  type TextChannel,
} from 'discord.js';
import type {
  AliasResolvingConnector,
  BackfillingConnector,
  BridgeContext,
  Capabilities,
  ChatInfo,
  CommandDefinition,
  CommandProvidingConnector,
  Connector,
  MatrixSideEvent,
  PlumbingConnector,
  Portal,
  RemoteRef,
  RemoteUser,
} from '@trestle/core';
import type { DiscordConfig } from '../config';
import { DISCORD_CDN } from '../format';
import { DiscordInbound } from './inbound';
import { ChannelCursors } from './channel-cursors';
import { MemberNames } from './member-names';
import { boundedCaches } from './cache-limits';
import { LinkApprovals } from './link-approvals';
import { chatMembers, mirrorCapOf } from './chat-members';
import { GuildMembers } from './guild-members';
import { GuildCatchUp, LISTING_RETRY, type ListingRetry } from './guild-catch-up';
import { bridgeIntents, missingPrivilegedIntents, MissingIntentError } from './intents';
import { DiscordOutbound, MAX_MESSAGE_LENGTH, MAX_UPLOAD_BYTES } from './outbound';
import { WebhookPool } from './webhook-pool';
import { RecentMessages } from './recent-messages';
import { ChangeCatchUp } from './change-catch-up';
import { MessageCatchUp } from './message-catch-up';
import { ActiveThreads } from './active-threads';
import { reopenThreadFor, threadsArchivedSince } from './archived-threads';
import { MatrixChannelInfo } from './channel-info-from-matrix';
import { filterOwnEchoes } from './echo-filter';
import { portalName, spaceOf } from './portal-name';
import { pooledRestTransport } from './rest-transport';
import { WebhookPoster } from './webhook-poster';
import { toRemoteSendError } from './send-errors';

/** Thrown by `prepareLink` / `resolveAlias` when a channel cannot be bridged; the message says why. */
export class DiscordLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscordLinkError';
  }
}

const ALIAS = /^(\d{15,21})_(\d{15,21})$/;
/** Rate-limit waits up to this long are absorbed by the REST client; longer ones go to the core's retry. */
const REST_MAX_WAIT_MS = 5000;
/**
 * How long start-up waits for the guilds' member names. Matrix messages are taken in only once the
 * connector has started; a guild listed later has every Matrix name carry its Matrix id until then.
 */
const MEMBER_NAMES_WAIT_MS = 10_000;

/** What a deployment has no reason to change, but a test does: it cannot wait half a minute. */
export interface DiscordConnectorOptions {
  /** When a guild member listing that failed is tried again (default: after 30 s, doubling up to 30 min). */
  memberListingRetry?: ListingRetry;
}

export class DiscordConnector
  implements
    Connector<DiscordConfig>,
    AliasResolvingConnector,
    PlumbingConnector,
    BackfillingConnector,
    CommandProvidingConnector
{
  readonly network = 'discord';
  readonly displayName = 'Discord';
  readonly capabilities: Capabilities = {
    edits: true,
    redactions: true,
    reactions: true,
    replies: true,
    threads: true,
    typing: true,
    media: true,
    maxMessageLength: MAX_MESSAGE_LENGTH,
    maxMediaBytes: MAX_UPLOAD_BYTES,
  };

  private client: Client<true> | undefined;
  private restTransport: ReturnType<typeof pooledRestTransport> | undefined;
  private ctx: BridgeContext<DiscordConfig> | undefined;
  private outbound: DiscordOutbound | undefined;
  private inbound: DiscordInbound | undefined;
  private cursors: ChannelCursors | undefined;
  private recent: RecentMessages | undefined;
  private changes: ChangeCatchUp | undefined;
  private catchUp: MessageCatchUp | undefined;
  private activeThreads: ActiveThreads | undefined;
  private approvals: LinkApprovals | undefined;
  private channelInfo: MatrixChannelInfo | undefined;
  private guildCatchUp: GuildCatchUp | undefined;

  constructor(private readonly options: DiscordConnectorOptions = {}) {}

  /**
   * Log in and start receiving. Rejects with {@link MissingIntentError} (the exact portal fix) when
   * a privileged intent is not enabled, and with a readable error for a bad token.
   */
  async start(ctx: BridgeContext<DiscordConfig>): Promise<void> {
    this.ctx = ctx;
    const { config } = ctx;
    const intents = bridgeIntents(config.messageContentIntent);
    this.restTransport = pooledRestTransport(config.apiUrl ?? DefaultRestOptions.api);
    const client = new Client({
      intents,
      partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User, Partials.GuildMember],
      ...boundedCaches(),
      rest: {
        ...(config.apiUrl ? { api: config.apiUrl } : {}),
        ...(config.cdnUrl ? { cdn: config.cdnUrl } : {}),
        rejectOnRateLimit: (limit) => limit.retryAfter > REST_MAX_WAIT_MS,
        globalRequestsPerSecond: config.globalRequestsPerSecond,
        makeRequest: this.restTransport.makeRequest,
      },
    });
    client.on('error', (err) => ctx.log.error('discord client error', { network: 'discord', err }));
    client.on('shardResume', (_id, replayed) =>
      ctx.log.info('discord gateway resumed', { network: 'discord', replayed }),
    );
    const memberNames = new MemberNames(config.maxGuildMembers);
    memberNames.attach(client);
    const ready = new Promise<Client<true>>((resolve) => client.once('clientReady', resolve));
    try {
      await client.login(config.botToken);
    } catch (err) {
      // Explain first: destroying the client forgets the token the explanation needs.
      const explained = await this.explainLoginFailure(err, client, config.botToken, intents);
      await client.destroy();
      await this.closeRestTransport();
      throw explained;
    }
    this.client = await ready;
    const application = await this.client.application.fetch();
    const missing = missingPrivilegedIntents(application.flags.bitfield, intents);
    if (missing.length > 0)
      ctx.log.warn('discord privileged intents look disabled', { network: 'discord', missing });
    if (!config.messageContentIntent) {
      ctx.log.warn(
        'discord Message Content intent not requested: only messages that mention the bot carry text',
        { network: 'discord' },
      );
    }
    const webhooks = new WebhookPool(this.client, config.webhookName);
    filterOwnEchoes(this.client, webhooks);
    this.cursors = new ChannelCursors(ctx.kv, ctx.log);
    this.recent = new RecentMessages(ctx.kv, ctx.log);
    const channelInfo = new MatrixChannelInfo(this.client, ctx);
    this.channelInfo = channelInfo;
    this.outbound = new DiscordOutbound(
      this.client,
      config,
      webhooks,
      ctx.kv,
      memberNames,
      this.recent,
      channelInfo,
      new WebhookPoster(this.restTransport.http, {
        apiPath: `${new URL(config.apiUrl ?? DefaultRestOptions.api).pathname}/v${this.client.rest.options.version}`,
        maxWaitMs: REST_MAX_WAIT_MS,
        globalPerSecond: config.globalRequestsPerSecond,
      }),
    );
    this.approvals = new LinkApprovals(ctx.kv, ctx.log);
    this.inbound = new DiscordInbound(
      this.client,
      ctx,
      webhooks,
      config.cdnUrl ?? DISCORD_CDN,
      this.cursors,
      this.approvals,
      this.recent,
      channelInfo,
    );
    this.inbound.attach();
    const guildMembers = new GuildMembers(this.client, ctx, this.inbound, memberNames);
    guildMembers.attach();
    const guildCatchUp = new GuildCatchUp(
      this.client,
      ctx,
      this.inbound,
      guildMembers,
      this.options.memberListingRetry ?? LISTING_RETRY,
    );
    this.guildCatchUp = guildCatchUp;
    guildCatchUp.attach();
    const membersListed = guildCatchUp.run();
    await channelInfo.start();
    this.changes = new ChangeCatchUp(this.inbound, this.recent, this.client.user.id, ctx.log);
    this.catchUp = new MessageCatchUp(this.inbound, ctx.log);
    this.activeThreads = new ActiveThreads(ctx.log);
    await waitAtMost(membersListed, MEMBER_NAMES_WAIT_MS);
    ctx.log.info('discord connected', {
      network: 'discord',
      user: this.client.user.id,
      guilds: this.client.guilds.cache.size,
    });
  }

  async stop(): Promise<void> {
    this.guildCatchUp?.stop();
    await this.channelInfo?.stop();
    await this.cursors?.flush();
    await this.recent?.flush();
    await this.client?.destroy();
    this.client = undefined;
    await this.closeRestTransport();
  }

  private async closeRestTransport(): Promise<void> {
    const transport = this.restTransport;
    this.restTransport = undefined;
    await transport?.close();
  }

  send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    const { client, ctx, outbound } = this.connected();
    // Messages, the busy path, need nothing here: a new message reopens an archived thread itself.
    if (event.kind === 'message') return outbound.send(portal, event);
    return reopenThreadFor(client, ctx.kv, event).then(
      () => outbound.send(portal, event),
      (err: unknown) => {
        throw toRemoteSendError(err, `${event.kind} in channel ${portal.chatId}`);
      },
    );
  }

  /** `<guild id>_<channel id>` names a guild text channel. */
  async resolveAlias(localpart: string): Promise<ChatInfo | undefined> {
    const m = ALIAS.exec(localpart);
    if (!m) return undefined;
    const channel = await this.bridgeableChannel(m[2]!).catch(() => undefined);
    if (!channel || channel.guildId !== m[1]) return undefined;
    return { ...chatInfoOf(channel), members: await this.membersOf(channel) };
  }

  /**
   * Check a plumbing request. With `linkApproval` on (the default), the first request posts a code
   * in the Discord channel and is refused with instructions; once someone with Manage Webhooks or
   * Manage Channels approved it there, the same Matrix user's next request goes through.
   */
  async prepareLink(chatId: string, requestedBy: string): Promise<ChatInfo> {
    const { ctx, approvals } = this.connected();
    const channel = await this.bridgeableChannel(chatId);
    const me = channel.guild.members.me;
    const permissions = me ? channel.permissionsFor(me) : null;
    if (!permissions?.has(PermissionFlagsBits.ManageWebhooks)) {
      throw new DiscordLinkError(
        `The bot needs the Manage Webhooks permission in #${channel.name} to relay Matrix users.`,
      );
    }
    if (ctx.config.linkApproval) {
      const approval = await approvals.approvedOrCode(channel, requestedBy);
      if (approval !== true) {
        throw new DiscordLinkError(
          `Waiting for approval on Discord: someone with Manage Webhooks or Manage Channels in #${channel.name} ` +
            `must send "!matrix approve ${approval}" in that channel (the bot posted the request there). ` +
            `Then send this link command again.`,
        );
      }
    }
    ctx.log.info('discord channel link prepared', { network: 'discord', chat: chatId, by: requestedBy });
    return { ...chatInfoOf(channel), members: await this.membersOf(channel) };
  }

  /** The members a new portal of the channel starts with. */
  private membersOf(channel: TextChannel): Promise<RemoteUser[]> {
    const { ctx } = this.connected();
    return chatMembers(channel, mirrorCapOf(ctx.config), ctx.log);
  }

  /**
   * Emit what happened in the channel while the bridge was away: edits, deletions and reactions on
   * its recent bridged messages, then the new messages since the last one handled in the channel,
   * its active threads and the threads archived meanwhile, oldest first.
   */
  async backfill(portal: Portal): Promise<void> {
    const { client, ctx, cursors, changes, catchUp, activeThreads } = this.connected();
    const found = await client.channels.fetch(portal.chatId);
    if (!found?.isTextBased() || found.isDMBased() || found.isThread()) return;
    const channel = found as TextChannel;
    const threads = await activeThreads.of(channel);
    // The newest message handled in the channel or any of its threads.
    const after = await cursors.get(portal.chatId);
    if (after) {
      const active = new Set(threads.map((t) => t.id));
      for (const thread of await threadsArchivedSince(channel, after, ctx.log))
        if (!active.has(thread.id)) threads.push(thread);
    }
    await changes.run(channel, threads);
    if (!after) return; // No Discord message bridged yet: none can have been missed.
    await catchUp.run(channel, threads, after);
  }

  commands(): CommandDefinition[] {
    return [
      {
        name: 'discord-guilds',
        summary: 'List the Discord guilds and text channels the bot can bridge',
        level: 'admin',
        run: async (cmd) => {
          const { client, ctx } = this.connected();
          const allowed = ctx.config.guilds;
          const lines = client.guilds.cache
            .filter((g) => allowed.length === 0 || allowed.includes(g.id))
            .map((g) => {
              const channels = g.channels.cache
                .filter((c) => c.isTextBased() && !c.isThread())
                .map((c) => `#${c.name} (${c.id})`);
              return `${g.name} (${g.id}): ${channels.join(', ') || 'no text channels'}`;
            });
          await cmd.reply(lines.length > 0 ? lines.join('\n') : 'The bot is in no bridgeable guild.');
        },
      },
    ];
  }

  private async bridgeableChannel(chatId: string): Promise<TextChannel> {
    const { client, ctx } = this.connected();
    const channel = await client.channels.fetch(chatId).catch(() => null);
    if (!channel || channel.isDMBased() || !channel.isTextBased() || channel.isThread()) {
      throw new DiscordLinkError(
        `Discord channel ${chatId} does not exist or is not a text channel the bot can see.`,
      );
    }
    const allowed = ctx.config.guilds;
    if (allowed.length > 0 && !allowed.includes(channel.guildId)) {
      throw new DiscordLinkError(
        `Guild ${channel.guildId} is not in this bridge's network.guilds allow-list.`,
      );
    }
    return channel as TextChannel;
  }

  private async explainLoginFailure(
    err: unknown,
    client: Client,
    token: string,
    intents: number,
  ): Promise<Error> {
    const code = (err as { code?: unknown }).code;
    if (code === DiscordjsErrorCodes.TokenInvalid) {
      return new Error(
        'Discord rejected the bot token (network.botToken): copy it again from the developer portal, Bot tab.',
      );
    }
    if (err instanceof Error && /disallowed intents/i.test(err.message)) {
      // discord.js dropped the token when the login failed; the application's flags name the culprit.
      const flags = await client.rest
        .setToken(token)
        .get('/applications/@me')
        .then((app) => (app as { flags?: number }).flags ?? 0)
        .catch(() => 0);
      const missing = missingPrivilegedIntents(flags, intents);
      return new MissingIntentError(
        missing.length > 0 ? missing : ['MessageContent', 'GuildMembers'],
        this.ctx?.config.applicationId,
      );
    }
    return err instanceof Error ? err : new Error(String(err));
  }

  private connected() {
    const { client, ctx, outbound, inbound, cursors, approvals, changes, catchUp, activeThreads } = this;
    if (
      !client ||
      !ctx ||
      !outbound ||
      !inbound ||
      !cursors ||
      !approvals ||
      !changes ||
      !catchUp ||
      !activeThreads
    )
      throw new Error('The Discord connector is not started');
    return { client, ctx, outbound, inbound, cursors, approvals, changes, catchUp, activeThreads };
  }
}

async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function chatInfoOf(channel: TextChannel): ChatInfo {
  // Portals of one guild are gathered in a Matrix space named after it, and show its icon.
  const space = spaceOf(channel.guild);
  return {
    chatId: channel.id,
    name: portalName(channel),
    ...(channel.topic ? { topic: channel.topic } : {}),
    kind: 'channel',
    space,
    ...(space.avatar ? { avatar: space.avatar } : {}),
  };
}

/** A Discord connector, checked at compile time against the contract and the abilities it opts into. */
export function createDiscordConnector(options: DiscordConnectorOptions = {}) {
  return new DiscordConnector(options) satisfies Connector<DiscordConfig> &
    AliasResolvingConnector &
    PlumbingConnector &
    BackfillingConnector &
    CommandProvidingConnector;
}
