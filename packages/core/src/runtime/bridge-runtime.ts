/**
 * The bridge runtime: wires one connector to Matrix through the store, the delivery pipelines, the
 * appservice listener, ghosts and portals. One instance per bridge process.
 */
import type { BackfillingConnector, BridgeContext, Connector } from '../connector/connector';
import {
  canBackfill,
  canResolveAliases,
  createsChildChats,
  createsDirectChats,
} from '../connector/connector';
import type { Store } from '../store/store';
import type { RemoteUser } from '../model/events';
import type { Logger } from '../log/logger';
import { AppserviceServer, type RawMatrixEvent } from '../appservice/appservice-server';
import { MatrixApi } from '../matrix/matrix-api';
import { Ghosts } from '../matrix/ghosts';
import { Portals } from '../matrix/portals';
import { Spaces } from '../matrix/spaces';
import { MediaBridge } from '../matrix/media';
import { RemoteToMatrix } from '../delivery/remote-to-matrix';
import { MatrixToRemote } from '../delivery/matrix-to-remote';
import type { RetryPolicy } from '../delivery/retry';
import { BridgeMetrics } from '../ops/metrics';
import { BotIntercept, type CommandHandler } from './bot-intercept';
import { GhostInvites } from './ghost-invites';
import { PublicMediaLinks } from '../public-media/public-media-links';
import { PublicMediaServer } from '../public-media/public-media-server';
import { PortalModeration } from './portal-moderation';
import { ChildPortals } from './child-portals';

/** Everything the runtime needs, already validated (the CLI builds it from the config file). */
export interface BridgeRuntimeOptions<TConfig = unknown> {
  connector: Connector<TConfig>;
  /** The connector's config section. */
  connectorConfig: TConfig;
  store: Store;
  log: Logger;
  homeserverUrl: string;
  domain: string;
  asToken: string;
  hsToken: string;
  /**
   * The registration's `id`. With it, the bridge asks the homeserver to ping it once it listens, so events
   * held back while it was down arrive at once rather than at the homeserver's next retry.
   */
  appserviceId?: string;
  botLocalpart: string;
  userPrefix: string;
  /** Ghost display-name template (`{name}` = the remote name). */
  ghostDisplayName?: string;
  aliasPrefix: string;
  bindAddress: string;
  port: number;
  retry: RetryPolicy;
  /** Serve signed public links to Matrix media (`bridge.public_media`); off when undefined. */
  publicMedia?: { externalUrl: string; signingKey: string };
  /** The prefix of bot commands in rooms (`bridge.command_prefix`); default `!<network>`. */
  commandPrefix?: string;
  /** Builds the bot's command handler once the runtime exists; without it only invites are handled. */
  commands?: (runtime: BridgeRuntime) => CommandHandler;
}

/** A running bridge. Create with {@link BridgeRuntime.start}; stop with {@link BridgeRuntime.stop}. */
export class BridgeRuntime {
  readonly api: MatrixApi;
  readonly ghosts: Ghosts;
  readonly portals: Portals;
  private readonly spaces: Spaces;
  readonly media: MediaBridge;
  readonly metrics: BridgeMetrics;
  readonly botUserId: string;
  private readonly toMatrix: RemoteToMatrix;
  private readonly toRemote: MatrixToRemote;
  private readonly server: AppserviceServer;
  private readonly moderation: PortalModeration;
  private readonly publicLinks?: PublicMediaLinks;
  private state: 'starting' | 'ready' | 'stopping' | 'stopped' = 'starting';
  /** The port the appservice listener is bound to (differs from the option when it was 0). */
  port = 0;

  private constructor(private readonly o: BridgeRuntimeOptions) {
    const { connector, store, log } = o;
    this.botUserId = `@${o.botLocalpart}:${o.domain}`;
    this.api = new MatrixApi(o.homeserverUrl, o.asToken, this.botUserId);
    this.metrics = new BridgeMetrics(connector.network);
    this.media = new MediaBridge(this.api, store.kv);
    this.ghosts = new Ghosts(
      this.api,
      store.ghosts,
      this.media,
      { userPrefix: o.userPrefix, domain: o.domain, displayName: o.ghostDisplayName },
      log,
    );
    this.spaces = new Spaces(this.api, store.kv, o.domain, this.media, log);
    this.portals = new Portals(this.api, store.portals, connector, this.spaces);
    const childPortals = createsChildChats(connector)
      ? new ChildPortals(
          connector,
          this.api,
          this.portals,
          (userId) => userId === this.botUserId || this.ghosts.isGhost(userId),
          log,
          () => this.metrics.portals.inc(),
        )
      : undefined;
    this.toMatrix = new RemoteToMatrix({
      network: connector.network,
      networkName: connector.displayName,
      api: this.api,
      ghosts: this.ghosts,
      portals: this.portals,
      media: this.media,
      messages: store.messages,
      retry: o.retry,
      metrics: this.metrics,
      log,
      directChatFor: createsDirectChats(connector) ? (chatId) => connector.directChatFor(chatId) : undefined,
      childPortalFor: childPortals && ((chatId) => childPortals.portalFor(chatId)),
    });
    const intercept = new BotIntercept(this.api, this.botUserId, log, o.commands?.(this));
    const ghostInvites = new GhostInvites(connector, this.api, this.ghosts, this.portals, log, () =>
      this.metrics.portals.inc(),
    );
    this.moderation = new PortalModeration(this.api, this.portals);
    this.toRemote = new MatrixToRemote({
      networkName: connector.displayName,
      connector,
      api: this.api,
      ghosts: this.ghosts,
      portals: this.portals,
      media: this.media,
      messages: store.messages,
      journal: store.journal,
      retry: o.retry,
      metrics: this.metrics,
      log,
      intercept: (ev, portal) => ghostInvites.handle(ev, portal) || intercept.handle(ev, portal),
    });
    if (o.publicMedia)
      this.publicLinks = new PublicMediaLinks(o.publicMedia.externalUrl, o.publicMedia.signingKey);
    this.server = new AppserviceServer(
      o.hsToken,
      {
        onTransaction: (txnId, events, ephemeral) => this.onTransaction(txnId, events, ephemeral),
        onUserQuery: (userId) => this.onUserQuery(userId),
        onAliasQuery: (alias) => this.onAliasQuery(alias),
      },
      log,
      this.publicLinks && new PublicMediaServer(this.publicLinks, o.homeserverUrl, o.asToken, log),
    );
  }

  /** Start the bridge: bot registered, connector started, journal replayed, listener open. */
  static async start<T>(options: BridgeRuntimeOptions<T>): Promise<BridgeRuntime> {
    const runtime = new BridgeRuntime(options as BridgeRuntimeOptions);
    await runtime.startUp();
    return runtime;
  }

  /** Liveness for `/health`: ok once started and until shutdown begins. */
  readonly healthReport = () => ({
    ok: this.state === 'ready',
    details: { state: this.state, network: this.o.connector.network },
  });

  /** The context handed to the connector. */
  get context(): BridgeContext {
    const o = this.o;
    return {
      config: o.connectorConfig,
      log: o.log.child({ network: o.connector.network }),
      kv: o.store.kv,
      logins: o.store.logins,
      domain: o.domain,
      botUserId: this.botUserId,
      commandPrefix: o.commandPrefix ?? `!${o.connector.network}`,
      emit: (event) => this.toMatrix.handle(event),
      ghostUserId: (remoteId) => this.ghosts.userIdFor(remoteId),
      isGhost: (userId) => this.ghosts.isGhost(userId),
      portalForChat: (chatId) => this.portals.byChat(chatId),
      portalForRoom: (roomId) => this.portals.byRoom(roomId),
      portalGhosts: async (chatId) => {
        const portal = await this.portals.byChat(chatId);
        if (!portal) return undefined;
        const joined = await this.api.joinedMembers(portal.roomId);
        return joined.flatMap((userId) => this.ghosts.remoteIdOf(userId) ?? []);
      },
      updateSpace: (space) => this.spaces.update(space),
      unlinkChat: async (chatId, reason) => {
        const portal = await this.portals.byChat(chatId);
        if (!portal) return false;
        await this.portals.unlink(portal);
        this.metrics.portals.dec();
        await this.context.notice(
          portal.roomId,
          `This room is no longer bridged to ${o.connector.displayName}: ${reason}`,
        );
        return true;
      },
      media: {
        upload: (data, contentType, filename) => this.api.upload(data, contentType, filename),
        publicUrl: (mxc, filename) => this.publicLinks?.urlFor(mxc, filename),
      },
      setPowerLevels: (chatId, levels) => this.moderation.setPowerLevels(chatId, levels),
      kickFromPortal: (chatId, userId, reason) => this.moderation.kick(chatId, userId, reason),
      banFromPortal: (chatId, userId, reason) => this.moderation.ban(chatId, userId, reason),
      unbanFromPortal: (chatId, userId, reason) => this.moderation.unban(chatId, userId, reason),
      notice: async (roomId, text) => {
        await this.api.sendEvent(
          roomId,
          'm.room.message',
          { msgtype: 'm.notice', body: text },
          `trestle.n.${Date.now()}.${Math.random()}`,
        );
      },
    };
  }

  private async startUp(): Promise<void> {
    const { log, connector } = this.o;
    await this.api.registerAppserviceUser(this.o.botLocalpart);
    this.metrics.portals.set(await this.o.store.portals.count());
    await connector.start(this.context);
    this.port = await this.server.listen(this.o.port, this.o.bindAddress);
    await this.toRemote.replayPending();
    this.state = 'ready';
    log.info('bridge ready', { network: connector.network, port: this.port });
    if (this.o.appserviceId) void this.askForHeldEvents(this.o.appserviceId);
    if (canBackfill(connector)) void this.backfillAll(connector);
  }

  /** The startup ping (see {@link BridgeRuntimeOptions.appserviceId}); a homeserver without it is only logged. */
  private async askForHeldEvents(appserviceId: string): Promise<void> {
    try {
      await this.api.pingAppservice(appserviceId);
    } catch (err) {
      this.o.log.warn(
        'the homeserver could not ping the bridge; events it held back come at its next retry',
        {
          err,
        },
      );
    }
  }

  /** Catch up what each portal missed while the bridge was down, a few portals at a time, after ready. */
  private async backfillAll(connector: Connector & BackfillingConnector): Promise<void> {
    const portals = await this.o.store.portals.list();
    const worker = async () => {
      for (let portal = portals.shift(); portal && this.state === 'ready'; portal = portals.shift()) {
        await connector
          .backfill(portal)
          .catch((err) => this.o.log.warn('backfill failed', { portal: portal!.roomId, err }));
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }

  /** Graceful shutdown: stop accepting, drain both queues, stop the connector, close the store. */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    await this.server.close();
    this.toRemote.stopRetrying();
    await Promise.all([this.toRemote.queue.drain(), this.toMatrix.queue.drain()]);
    await this.o.connector.stop();
    await this.toMatrix.queue.drain();
    await this.o.store.close();
    await this.api.close();
    this.state = 'stopped';
    this.o.log.info('bridge stopped', { network: this.o.connector.network });
  }

  private async onTransaction(
    txnId: string,
    events: RawMatrixEvent[],
    ephemeral: Record<string, unknown>[],
  ): Promise<void> {
    await this.toRemote.accept(events, txnId);
    for (const e of ephemeral) {
      if (e.type !== 'm.typing' || typeof e.room_id !== 'string') continue;
      const ids = ((e.content as { user_ids?: string[] } | undefined)?.user_ids ?? []).filter(
        (u) => typeof u === 'string',
      );
      void this.toRemote.typing(e.room_id, ids);
    }
  }

  private async onUserQuery(userId: string): Promise<boolean> {
    const remoteId = this.ghosts.remoteIdOf(userId);
    if (remoteId === undefined) return false;
    await this.ghosts.ensure({ id: remoteId });
    return true;
  }

  private async onAliasQuery(alias: string): Promise<boolean> {
    const { connector, aliasPrefix, domain } = this.o;
    const m = /^#([^:]+):(.+)$/.exec(alias);
    if (!m || m[2] !== domain || !m[1]!.startsWith(aliasPrefix) || !canResolveAliases(connector))
      return false;
    const chat = await connector.resolveAlias(m[1]!.slice(aliasPrefix.length));
    if (!chat) return false;
    const existing = await this.portals.byChat(chat.chatId);
    if (existing) return false; // the chat is already bridged under another room; do not fork it
    const portal = await this.portals.createForAlias(m[1]!, chat);
    this.metrics.portals.inc();
    if (chat.members?.length) void this.joinMembers(portal.roomId, chat.members);
    if (chat.powerLevels) void this.applyRemoteLevels(chat.chatId, chat.powerLevels);
    return true;
  }

  /** Remote roles (IRC channel operators …) as power levels of their ghosts in a new portal. */
  async applyRemoteLevels(chatId: string, byRemoteId: Record<string, number>): Promise<void> {
    const levels = Object.fromEntries(
      Object.entries(byRemoteId).map(([remoteId, level]) => [this.ghosts.userIdFor(remoteId), level]),
    );
    await this.moderation
      .setPowerLevels(chatId, levels)
      .catch((err) => this.o.log.warn('power levels of a new portal not set', { chat: chatId, err }));
  }

  /** Show the chat's remote members in a new portal (in the background: the alias query must answer now). */
  async joinMembers(roomId: string, members: RemoteUser[]): Promise<void> {
    const queue = [...members];
    const worker = async () => {
      for (let user = queue.shift(); user && this.state !== 'stopping'; user = queue.shift()) {
        const member = user;
        await this.ghosts
          .ensure(member)
          .then((userId) => this.ghosts.ensureJoined(roomId, userId))
          .catch((err) => this.o.log.warn('member could not join the portal', { portal: roomId, err }));
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }
}
