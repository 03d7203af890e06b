/**
 * A Discord simulator for tests: REST under `/api/v10`, the Gateway websocket at `/gateway` and
 * a CDN, all on one loopback HTTP server, driven by the real discord.js. Tests build the world
 * (guilds, channels, members, emoji), act as Discord users through {@link DiscordUserDriver}, and inspect
 * what the bot and its webhooks did.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelType, GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import { DiscordActions } from './actions';
import { PRIVILEGED_INTENTS, SimulatedGateway, guildCreateView, type GatewayStats } from './gateway';
import { RestRouter, type InjectedFault } from './rest-router';
import { addCoreRoutes } from './rest-routes-core';
import { addMessageRoutes } from './rest-routes-messages';
import { addWebhookRoutes } from './rest-routes-webhooks';
import { toApiEmoji, toApiGuild, toApiMember, toApiRole, toApiTextChannel, toGuildCreate } from './serialize';
import { MEMBER_PERMISSIONS, DiscordUserDriver } from './user-driver';
import { DiscordWorld } from './world';
import { SnowflakeGenerator } from './snowflake';
import { findCdnFile, newGuild, PLACEHOLDER_PNG } from './world-setup';
import type {
  ChannelRecord,
  EmojiRecord,
  GuildRecord,
  MessageRecord,
  RoleRecord,
  StickerRecord,
  UserRecord,
} from './records';
import { DISCORD_RATE_LIMITS, RateLimits, type RateLimitPolicy } from './rate-limits';
import { ChannelEditLimits, type ChannelEditPolicy } from './channel-edit-limits';

export interface DiscordSimulatorOptions {
  /** The bot token discord.js must present (default `sim-bot-token`). */
  token?: string;
  botUsername?: string;
  /** Privileged intents switched on in the developer portal (default: all of them). */
  enabledPrivilegedIntents?: number;
  /** HELLO's heartbeat interval (default 41250 ms, as Discord). */
  heartbeatIntervalMs?: number;
}

export interface NewMember {
  username: string;
  globalName?: string;
  nick?: string;
  /** Role ids besides @everyone. */
  roles?: string[];
  avatar?: Buffer;
  bot?: boolean;
}

export class DiscordSimulator {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  private readonly world: DiscordWorld;
  private readonly server: Server;
  private readonly gateway: SimulatedGateway;
  private readonly router: RestRouter;
  private readonly actions: DiscordActions;
  private readonly channelEdits = new ChannelEditLimits();
  private privilegedIntents: number;
  private port = 0;

  private constructor(options: DiscordSimulatorOptions) {
    this.token = options.token ?? 'sim-bot-token';
    this.privilegedIntents = options.enabledPrivilegedIntents ?? PRIVILEGED_INTENTS;
    const ids = new SnowflakeGenerator();
    this.botUserId = ids.next();
    this.applicationId = this.botUserId; // Discord gives a bot the id of its application.
    this.world = new DiscordWorld(this.botUserId, ids);
    this.world.users.set(this.botUserId, {
      id: this.botUserId,
      username: options.botUsername ?? 'Trestle',
      globalName: null,
      avatar: null,
      bot: true,
    });
    const enabled = () => this.privilegedIntents;
    this.gateway = new SimulatedGateway({
      world: this.world,
      token: this.token,
      applicationId: this.applicationId,
      enabledPrivilegedIntents: enabled,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
    });
    this.actions = new DiscordActions({
      world: this.world,
      gateway: this.gateway,
      applicationId: this.applicationId,
      baseUrl: () => this.baseUrl,
      enabledPrivilegedIntents: enabled,
    });
    this.router = new RestRouter((token) => token === this.token);
    addCoreRoutes(this.router, {
      world: this.world,
      actions: this.actions,
      applicationId: this.applicationId,
      gatewayUrl: () => this.gatewayUrl,
      enabledPrivilegedIntents: enabled,
      channelEdits: this.channelEdits,
    });
    addMessageRoutes(this.router, this.world, this.actions);
    addWebhookRoutes(this.router, this.world, this.actions, this.applicationId);
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname === '/gateway')
        this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  /** Start a simulator on a free loopback port. */
  static async start(options: DiscordSimulatorOptions = {}): Promise<DiscordSimulator> {
    const sim = new DiscordSimulator(options);
    await new Promise<void>((resolve) => sim.server.listen(0, '127.0.0.1', resolve));
    sim.port = (sim.server.address() as AddressInfo).port;
    return sim;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** `http://127.0.0.1:<port>`: the CDN base (discord.js `rest.cdn`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The REST base for discord.js `rest.api` (it appends `/v10`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** `rest` options that point discord.js (Client or WebhookClient) here. */
  restOptions(): { api: string; cdn: string } {
    return { api: this.apiUrl, cdn: this.baseUrl };
  }

  get gatewayStats(): GatewayStats {
    return this.gateway.stats;
  }

  // ---- building the world ----

  /**
   * A guild with its @everyone role, an owner (a user named `owner`; Discord's owner bypasses all
   * permission checks, so the bot must not be it), the bot as a member with a role to run a bridge,
   * and no channels.
   */
  createGuild(input: { name: string; icon?: Buffer }): GuildRecord {
    const guild = newGuild(this.world, input.name, input.icon);
    this.world.guilds.set(guild.id, guild);
    this.gateway.dispatch(GatewayDispatchEvents.GuildCreate, GatewayIntentBits.Guilds, (session) =>
      toGuildCreate(this.world, guild, guildCreateView(session)),
    );
    return guild;
  }

  /** A text channel; with `visibleTo`, a private one only those roles (and the bot) may see. */
  createChannel(
    guildId: string,
    input: { name: string; topic?: string; visibleTo?: string[] },
  ): ChannelRecord {
    this.world.guild(guildId);
    const position = [...this.world.channels.values()].filter((c) => c.guildId === guildId).length;
    const channel: ChannelRecord = {
      id: this.world.ids.next(),
      guildId,
      type: ChannelType.GuildText,
      name: input.name,
      topic: input.topic ?? null,
      parentId: null,
      ownerId: null,
      position,
      lastMessageId: null,
      deniedToBot: 0n,
      ...(input.visibleTo ? { visibleToRoles: input.visibleTo } : {}),
    };
    this.world.channels.set(channel.id, channel);
    this.gateway.dispatch(GatewayDispatchEvents.ChannelCreate, GatewayIntentBits.Guilds, () =>
      toApiTextChannel(channel, this.botUserId),
    );
    return channel;
  }

  createRole(
    guildId: string,
    input: { name: string; permissions?: bigint; mentionable?: boolean },
  ): RoleRecord {
    const guild = this.world.guild(guildId);
    const role: RoleRecord = {
      id: this.world.ids.next(),
      name: input.name,
      permissions: input.permissions ?? MEMBER_PERMISSIONS,
      color: 0,
      position: guild.roles.size,
      mentionable: input.mentionable ?? true,
    };
    guild.roles.set(role.id, role);
    this.gateway.dispatch(GatewayDispatchEvents.GuildRoleCreate, GatewayIntentBits.Guilds, () => ({
      guild_id: guildId,
      role: toApiRole(role),
    }));
    return role;
  }

  /** Create a user and make them a member of the guild. */
  addMember(guildId: string, input: NewMember): UserRecord {
    const guild = this.world.guild(guildId);
    const id = this.world.ids.next();
    const user: UserRecord = {
      id,
      username: input.username,
      globalName: input.globalName ?? null,
      avatar: input.avatar ? this.world.putImage(`/avatars/${id}`, input.avatar) : null,
      bot: input.bot ?? false,
    };
    this.world.users.set(id, user);
    const member = {
      userId: id,
      nick: input.nick ?? null,
      roles: input.roles ?? [],
      avatar: null,
      joinedAt: new Date().toISOString(),
    };
    guild.members.set(id, member);
    this.gateway.dispatch(GatewayDispatchEvents.GuildMemberAdd, GatewayIntentBits.GuildMembers, () => ({
      guild_id: guildId,
      ...toApiMember(this.world, member),
    }));
    return user;
  }

  /** A moderator kicks a member: like a member leaving, only GUILD_MEMBER_REMOVE goes out (and an audit log entry, not simulated). */
  kickMember(guildId: string, userId: string): void {
    this.actions.removeMember(guildId, userId);
  }

  /**
   * A moderator bans a member: GUILD_BAN_ADD (Guild Moderation intent) and GUILD_MEMBER_REMOVE go out,
   * as on Discord. The ban itself is not remembered (the simulator has no rejoining).
   */
  banMember(guildId: string, userId: string): void {
    this.actions.banMember(guildId, userId);
  }

  /** Change a member's nickname, roles or per-guild avatar (dispatches GUILD_MEMBER_UPDATE). */
  updateMember(
    guildId: string,
    userId: string,
    changes: { nick?: string | null; roles?: string[]; avatar?: Buffer | null },
  ): void {
    const member = this.world.member(guildId, userId);
    if (changes.nick !== undefined) member.nick = changes.nick;
    if (changes.roles) member.roles = changes.roles;
    if (changes.avatar !== undefined) {
      member.avatar = changes.avatar
        ? this.world.putImage(`/guilds/${guildId}/users/${userId}/avatars`, changes.avatar)
        : null;
    }
    this.actions.memberUpdated(guildId, userId);
  }

  /**
   * Rename a guild, change its description or its icon (`null` removes it), as its owner does in the
   * server settings (dispatches GUILD_UPDATE).
   */
  updateGuild(
    guildId: string,
    changes: { name?: string; description?: string | null; icon?: Buffer | null },
  ): void {
    const guild = this.world.guild(guildId);
    if (changes.name !== undefined) guild.name = changes.name;
    if (changes.description !== undefined) guild.description = changes.description;
    if (changes.icon !== undefined)
      guild.icon = changes.icon ? this.world.putImage(`/icons/${guildId}`, changes.icon) : null;
    this.gateway.dispatch(GatewayDispatchEvents.GuildUpdate, GatewayIntentBits.Guilds, () =>
      toApiGuild(guild),
    );
  }

  /** Rename a channel or change its topic (dispatches CHANNEL_UPDATE). */
  updateChannel(channelId: string, changes: { name?: string; topic?: string | null }): void {
    const channel = this.world.channel(channelId);
    if (changes.name !== undefined) channel.name = changes.name;
    if (changes.topic !== undefined) channel.topic = changes.topic;
    this.actions.channelUpdated(channel);
  }

  /**
   * Archive a thread, as Discord does once it went its auto-archive duration (1 hour to 1 week)
   * without messages: THREAD_UPDATE goes out, and it leaves the active threads for the archived
   * ones. A new message in it unarchives it. With `locked`, a moderator archives and locks it: only
   * members with Manage Threads may unarchive it then, and nothing is posted in it until they do.
   */
  archiveThread(threadId: string, options: { locked?: boolean } = {}): void {
    this.actions.setArchived(this.world.channel(threadId), true, options.locked);
  }

  createEmoji(guildId: string, input: { name: string; animated?: boolean; image?: Buffer }): EmojiRecord {
    const guild = this.world.guild(guildId);
    const emoji: EmojiRecord = {
      id: this.world.ids.next(),
      name: input.name,
      animated: input.animated ?? false,
    };
    guild.emojis.set(emoji.id, emoji);
    const contentType = emoji.animated ? 'image/gif' : 'image/png';
    this.world.cdn.set(`/emojis/${emoji.id}`, { data: input.image ?? PLACEHOLDER_PNG, contentType });
    this.gateway.dispatch(
      GatewayDispatchEvents.GuildEmojisUpdate,
      GatewayIntentBits.GuildExpressions,
      () => ({
        guild_id: guildId,
        emojis: [...guild.emojis.values()].map(toApiEmoji),
      }),
    );
    return emoji;
  }

  createSticker(guildId: string, input: { name: string; image?: Buffer }): StickerRecord {
    const guild = this.world.guild(guildId);
    const sticker: StickerRecord = { id: this.world.ids.next(), name: input.name, formatType: 1 };
    guild.stickers.set(sticker.id, sticker);
    this.world.cdn.set(`/stickers/${sticker.id}`, {
      data: input.image ?? PLACEHOLDER_PNG,
      contentType: 'image/png',
    });
    return sticker;
  }

  /** Switch privileged intents in the simulated developer portal (takes effect at the next IDENTIFY). */
  setPrivilegedIntents(bits: number): void {
    this.privilegedIntents = bits;
  }

  /** Take permission bits away from the bot in one channel (and its threads), to provoke 403s. */
  denyBot(channelId: string, permissions: bigint): void {
    const channel = this.world.channel(channelId);
    channel.deniedToBot |= permissions;
    this.actions.channelUpdated(channel);
  }

  allowBot(channelId: string, permissions: bigint): void {
    const channel = this.world.channel(channelId);
    channel.deniedToBot &= ~permissions;
    this.actions.channelUpdated(channel);
  }

  // ---- acting and observing ----

  asUser(userId: string): DiscordUserDriver {
    this.world.user(userId);
    return new DiscordUserDriver(this.world, this.actions, userId);
  }

  /**
   * A moderator (with Manage Messages and Manage Threads) deletes any message, a webhook's too:
   * MESSAGE_DELETE goes out like on Discord.
   */
  deleteMessage(channelId: string, messageId: string): void {
    const message = this.message(channelId, messageId);
    if (!message) throw new Error(`no message ${messageId} in channel ${channelId}`);
    this.actions.deleteMessage(message, true);
  }

  /** Messages in a channel or thread, oldest first. */
  messages(channelId: string): MessageRecord[] {
    return this.world.channelMessages(channelId);
  }

  message(channelId: string, messageId: string): MessageRecord | undefined {
    return this.world.messages.get(channelId)?.get(messageId);
  }

  channel(channelId: string): ChannelRecord | undefined {
    return this.world.channels.get(channelId);
  }

  webhooks(channelId: string): Array<{ id: string; name: string; token: string }> {
    return [...this.world.webhooks.values()].filter((w) => w.channelId === channelId);
  }

  /** Resolve with the first message (existing, new or edited) in the channel that satisfies `predicate`. */
  waitForMessage(
    channelId: string,
    predicate: (m: MessageRecord) => boolean,
    timeoutMs = 5000,
  ): Promise<MessageRecord> {
    const existing = this.messages(channelId).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onMessage = (m: MessageRecord) => {
        if (m.channelId !== channelId || !predicate(m)) return;
        clearTimeout(timer);
        this.actions.messageEvents.off('message', onMessage);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.actions.messageEvents.off('message', onMessage);
        reject(new Error(`No matching message in Discord channel ${channelId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.actions.messageEvents.on('message', onMessage);
    });
  }

  /**
   * Make the next REST call to a route fail (the next `times` calls, default 1). `route` is
   * `'METHOD /pattern'` as Discord documents it, e.g. `'POST /channels/:channel_id/messages'` or
   * `'POST /webhooks/:webhook_id/:token'`. discord.js tries a request that got a 5xx three more
   * times before it gives up, so an outage it notices takes four.
   */
  failNext(
    route: string,
    status: number,
    { times = 1, ...fault }: Omit<InjectedFault, 'status'> & { times?: number } = {},
  ): void {
    for (let i = 0; i < times; i++) this.router.failNext(route, { status, ...fault });
  }

  /** End what `failNext` queued for a route: its next calls succeed. */
  clearFaults(route: string): void {
    this.router.clearFaults(route);
  }

  /**
   * Enforce Discord's rate limits from now on (default: 50 requests/s per bot, 5 executions per 2 s
   * per webhook), with real bucket headers and 429s. Without this, only `failNext` rate-limits.
   */
  enforceRateLimits(policy: RateLimitPolicy = DISCORD_RATE_LIMITS): void {
    this.router.rateLimits = new RateLimits(policy);
  }

  /**
   * Change Discord's limit on the bot's channel name and topic changes (default, as Discord: 2 of
   * each per channel per 10 minutes), e.g. a short window for a test that waits one out.
   */
  setChannelEditLimit(policy: ChannelEditPolicy): void {
    this.channelEdits.policy = policy;
  }

  /** 429 answers given because of `enforceRateLimits`. */
  get rateLimitedResponses(): number {
    return this.router.rateLimits?.refusals ?? 0;
  }

  /** How many requests a route has served. */
  restCalls(route: string): number {
    return this.router.calls.get(route) ?? 0;
  }

  /** Cut every gateway connection like a network drop; the sessions stay resumable. */
  dropGateway(): void {
    this.gateway.dropConnections();
  }

  /**
   * Cut every gateway connection and forget the sessions, as Discord does with a session it can no
   * longer resume: a RESUME gets INVALID_SESSION, the client identifies anew, and what happened in
   * between is never sent.
   */
  expireGatewaySessions(): void {
    this.gateway.expireSessions();
  }

  /** Send op 7 RECONNECT, as Discord does before maintenance. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const api = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    if (api) {
      await this.router.handle(req, res, api[1]!, url.searchParams);
      return;
    }
    const file = req.method === 'GET' ? findCdnFile(this.world, url.pathname) : undefined;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    res
      .writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.data.length })
      .end(file.data);
  }
}
