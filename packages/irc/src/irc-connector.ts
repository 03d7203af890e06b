/**
 * The IRC connector: one bot connection per configured network, plus a connection per Matrix user
 * ("virtual user") where enabled. IRC -> Matrix: messages, actions and notices with formatting and
 * server-time, membership, topics, nick changes, and private messages to virtual users as DM rooms.
 * Matrix -> IRC: see {@link MatrixToIrc}.
 */
import type {
  AliasResolvingConnector,
  BackfillingConnector,
  BridgeContext,
  Capabilities,
  ChatInfo,
  CommandDefinition,
  CommandProvidingConnector,
  Connector,
  DeclinedGhostInvite,
  DirectChatConnector,
  DirectChatInfo,
  GhostInviteConnector,
  Logger,
  MatrixSideEvent,
  ModerationAction,
  ModerationConnector,
  PlumbingConnector,
  Portal,
  PuppetingConnector,
  RemoteRef,
  UnlinkAwareConnector,
} from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import { BotPrivateReply } from './bot-private-reply';
import { MemberModes } from './channel-modes/member-modes';
import { PowerLevelSync } from './channel-modes/power-level-sync';
import { userCommands } from './commands/user-commands';
import type { IrcConfig, IrcNetworkConfig } from './config';
import {
  isChannelName,
  nickOfGhostId,
  parseAliasLocalpart,
  parseChatId,
  parsePrivateChatId,
  privateChatIdFor,
} from './ids';
import { InboundMapper } from './inbound-to-remote';
import { IrcLogins } from './logins/irc-logins';
import { LoginRejectionReports } from './logins/login-rejection-report';
import { MediaLinks } from './media-links/media-links';
import { IrcBans } from './moderation/irc-bans';
import { IrcModeration } from './moderation/irc-moderation';
import { IrcConnection, IrcConnectionError } from './network/irc-connection';
import { RemoteEventOrder } from './network/remote-event-order';
import type { NetworkRuntime } from './network-runtime';
import { NetsplitQuits } from './netsplit/netsplit-quits';
import { MatrixToIrc } from './outbound/matrix-to-irc';
import { RecentMessages } from './recent-messages';
import { RelayedNames } from './relay/relayed-names';
import { ConnectGate } from './virtual/connect-gate';
import { VirtualUserPool, type VirtualUserRecord } from './virtual/virtual-user-pool';

/** How often idle virtual users are looked for (and the connected set saved for a restart). */
const IDLE_SWEEP_MS = 60_000;
const KV_NAMESPACE = 'irc';

export class IrcConnector
  implements
    Connector<IrcConfig>,
    AliasResolvingConnector,
    PlumbingConnector,
    BackfillingConnector,
    PuppetingConnector,
    DirectChatConnector,
    GhostInviteConnector,
    ModerationConnector,
    UnlinkAwareConnector,
    CommandProvidingConnector
{
  readonly network = 'irc';
  readonly displayName = 'IRC';
  readonly capabilities: Capabilities = {
    edits: false,
    redactions: false,
    reactions: true, // IRCv3 +draft/react TAGMSGs where the server passes client tags
    replies: true, // quoted, plus IRCv3 +draft/reply where the server passes client tags
    threads: false,
    typing: false,
    media: false,
    maxMessageLength: 400,
  };

  private ctx: BridgeContext<IrcConfig> | undefined;
  private log: Logger | undefined;
  private gate: ConnectGate | undefined;
  private logins: IrcLogins | undefined;
  private loginReports: LoginRejectionReports | undefined;
  private idleSweep: NodeJS.Timeout | undefined;
  private mediaLinks: MediaLinks | undefined;
  private readonly networks = new Map<string, NetworkRuntime>();
  private readonly outbound = new MatrixToIrc();
  private readonly moderation = new IrcModeration(() => this.ctx!);
  /** The order in which each network's events reach the core (per chat; barriers for the rest). */
  private readonly eventOrders = new Map<string, RemoteEventOrder>();

  async start(ctx: BridgeContext<IrcConfig>): Promise<void> {
    this.ctx = ctx;
    this.log = ctx.log.child({ network: 'irc' });
    this.gate = new ConnectGate(ctx.config.connectRate);
    this.logins = new IrcLogins(ctx.logins, ctx.config.secretKey);
    this.loginReports = new LoginRejectionReports(
      () => this.logins!,
      (roomId, text) => ctx.notice(roomId, text),
      this.log,
    );
    this.mediaLinks = new MediaLinks(ctx.media, this.log);
    await Promise.all(ctx.config.networks.map((config) => this.startNetwork(config)));
    this.idleSweep = setInterval(() => {
      for (const n of this.networks.values()) {
        n.pool
          .disconnectIdle()
          .then(() => this.saveVirtualUsers(n))
          .catch((err: Error) => this.log!.warn('idle sweep failed', { err }));
      }
    }, IDLE_SWEEP_MS);
    this.idleSweep.unref();
    // Not awaited: the gate paces these reconnects, and the bridge serves meanwhile.
    for (const n of this.networks.values()) void this.restoreVirtualUsers(n);
  }

  async stop(): Promise<void> {
    clearInterval(this.idleSweep);
    for (const n of this.networks.values()) n.netsplits.flush();
    await Promise.all([...this.networks.values()].map((n) => this.saveVirtualUsers(n)));
    this.gate?.close();
    await Promise.all([...this.networks.values()].map((n) => n.pool.stop()));
    await Promise.all([...this.networks.values()].map((n) => n.bot.stop()));
    await Promise.all([...this.eventOrders.values()].map((order) => order.idle()));
    this.networks.clear();
  }

  async resolveAlias(localpart: string): Promise<ChatInfo | undefined> {
    const ref = parseAliasLocalpart(localpart);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime) return undefined;
    return this.joinChat(runtime, ref.target);
  }

  async prepareLink(chatId: string, requestedBy: string): Promise<ChatInfo> {
    const ref = parseChatId(chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime) throw new Error(`unknown IRC network in ${chatId}; expected <network>/<#channel>`);
    if (!isChannelName(ref.target, runtime.bot.chanTypes)) throw new Error(`${ref.target} is not a channel`);
    this.log?.info('linking channel', { chat: chatId, requestedBy });
    return this.joinChat(runtime, ref.target);
  }

  /**
   * Catch-up after start: (re)join the portal's channel. IRC has no history query on servers without
   * `CHATHISTORY`; where the channel keeps history (InspIRCd `chanhistory`, mode +H) the server
   * replays recent lines on join with their original msgid and server-time, and the core drops those
   * already bridged (same msgid). Private chats need nothing.
   */
  async backfill(portal: Portal): Promise<void> {
    const ref = parseChatId(portal.chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime || !isChannelName(ref.target, runtime.bot.chanTypes)) return;
    await runtime.bot.join(ref.target);
  }

  /** A Matrix user joined a portal: their reconnect priority follows their activity. */
  async onMatrixUserJoined(portal: Portal, userId: string): Promise<void> {
    const ref = parseChatId(portal.chatId);
    this.networks
      .get(ref?.network ?? '')
      ?.pool.get(userId)
      ?.touch();
  }

  /** An IRC user wrote to a Matrix user's nick: a DM room with the IRC user's ghost, inviting the Matrix user. */
  async directChatFor(chatId: string): Promise<DirectChatInfo | undefined> {
    const pm = parsePrivateChatId(chatId);
    const runtime = pm && this.networks.get(pm.network);
    if (!pm || !runtime) return undefined;
    const ghost = runtime.mapper.user(pm.nick);
    return { chatId, kind: 'dm', name: ghost.displayName, members: [ghost], invite: [pm.owner] };
  }

  /**
   * A Matrix user started a DM with an IRC user's ghost: a private chat through their own virtual user.
   * Declined, with the reason, in a group room or on a network without virtual users.
   */
  async directChatWithGhost(
    remoteUserId: string,
    inviter: string,
    invite?: { isDirect: boolean },
  ): Promise<ChatInfo | DeclinedGhostInvite | undefined> {
    const network = remoteUserId.slice(0, remoteUserId.indexOf('.'));
    const folded = nickOfGhostId(remoteUserId);
    const runtime = this.networks.get(network);
    if (!folded || !runtime) return undefined;
    const spelled =
      runtime.bot.roster
        .all()
        .map((c) => c.members.get(folded))
        .find(Boolean) ?? folded;
    // A ghost invited into a group room is not asked for a private chat.
    if (invite && !invite.isDirect) {
      return {
        declined:
          `An IRC user can only be written to privately, in a direct chat: start one with ${spelled}. ` +
          `To bridge an IRC channel into this room, use "${this.ctx!.commandPrefix} link ${network}/<#channel>".`,
      };
    }
    if (!runtime.pool.settings.enabled) {
      return {
        declined:
          `Private chats on ${network} need your own IRC connection, and this bridge does not open ` +
          `connections for Matrix users there (virtual users are off): ask the bridge's admin.`,
      };
    }
    return { chatId: privateChatIdFor(network, folded, inviter), kind: 'dm', name: spelled };
  }

  /** `unlink`: the Matrix users' nicks leave the channel and do not rejoin it when they reconnect. */
  async portalUnlinked(portal: Portal): Promise<void> {
    const ref = parseChatId(portal.chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime || !runtime.bot.isChannel(ref.target)) return;
    runtime.pool.partAll(ref.target, 'This channel is no longer bridged to Matrix');
    await this.saveVirtualUsers(runtime);
  }

  /** Matrix kicks, bans and power levels in a channel portal, mirrored on IRC where the bot may. */
  async moderate(portal: Portal, action: ModerationAction): Promise<void> {
    const ref = parseChatId(portal.chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime || !runtime.bot.isChannel(ref.target)) return;
    await this.moderation.moderate(runtime, portal, ref.target, action);
  }

  async send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    const pm = parsePrivateChatId(portal.chatId);
    const ref = pm ? { network: pm.network, target: pm.nick } : parseChatId(portal.chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime) throw new RemoteSendError(`no IRC network for ${portal.chatId}`);
    try {
      const prepared = await this.mediaLinks!.prepare(
        event,
        ref.target,
        runtime.bot.config.maxLinesPerMessage,
      );
      return await this.outbound.send(runtime, ref.target, prepared, pm?.owner);
    } catch (err) {
      if (err instanceof RemoteSendError) throw err;
      // Not connected (ircd restarting, netsplit, reconnect backoff): the line waits for the connection.
      const unreachable = err instanceof IrcConnectionError && err.retryable;
      throw new RemoteSendError(`IRC send to ${portal.chatId} failed: ${(err as Error).message}`, {
        retryable: unreachable,
        unreachable,
        ...(unreachable && { retryAfterMs: 5000 }),
      });
    }
  }

  commands(): CommandDefinition[] {
    return userCommands(
      () => [...this.networks.values()],
      () => this.logins!,
    );
  }

  private async joinChat(runtime: NetworkRuntime, channel: string): Promise<ChatInfo> {
    const state = await runtime.bot.join(channel);
    const powerLevels = runtime.powerLevels.levelsByGhostId(channel);
    return {
      ...(Object.keys(powerLevels).length && { powerLevels }),
      chatId: runtime.mapper.chatIdFor(channel),
      name: state.name,
      ...(state.topic && { topic: state.topic }),
      kind: 'channel',
      members: (runtime.bot.config.memberList === 'lazy' ? [] : [...state.members.values()])
        .filter((nick) => runtime.bot.fold(nick) !== runtime.bot.fold(runtime.bot.nick))
        .filter((nick) => !runtime.pool.isBridgedNick(nick))
        .map((nick) => runtime.mapper.user(nick)),
    };
  }

  private async startNetwork(config: IrcNetworkConfig): Promise<void> {
    const log = this.log!.child({ network: config.name });
    const runtime = { recent: new RecentMessages() } as NetworkRuntime;
    runtime.bot = new IrcConnection(config, log, (inbound) => {
      if (runtime.privateReply.handle(inbound) || runtime.netsplits.handle(inbound)) return;
      if (inbound.kind === 'kick') {
        const chatId = runtime.mapper.chatIdFor(inbound.channel);
        if (this.moderation.onIrcKick(runtime, inbound, chatId)) return;
      }
      for (const event of runtime.mapper.map(inbound)) this.emitInOrder(config.name, event);
    });
    runtime.privateReply = new BotPrivateReply(runtime.bot);
    runtime.netsplits = new NetsplitQuits(config.netsplitGraceSeconds * 1000, (s) => runtime.bot.fold(s), {
      release: (quit) => {
        for (const event of runtime.mapper.map(quit)) this.emitInOrder(config.name, event);
      },
      summarise: (channel, nicks, reason) => this.netsplitNotice(runtime, channel, nicks, reason),
    });
    runtime.powerLevels = new PowerLevelSync(
      runtime,
      () => this.ctx!,
      (work) => this.runInOrder(config.name, work),
    );
    runtime.modes = new MemberModes(runtime.bot.client, (channel, nick, modes) =>
      runtime.powerLevels.modesChanged(channel, nick, modes),
    );
    new IrcBans(runtime, () => this.ctx!, log); // listens to the bot's connection from now on
    runtime.bot.client.on('userlist', (e: { channel: string }) =>
      runtime.powerLevels.channelJoined(e.channel),
    );
    runtime.relayedNames = new RelayedNames((s) => runtime.bot.fold(s));
    runtime.pool = new VirtualUserPool(config, {
      bot: runtime.bot,
      gate: this.gate!,
      logins: this.logins!,
      log,
      reconnect: {
        initialMs: this.ctx!.config.connectRate.reconnectInitialMs,
        maxMs: this.ctx!.config.connectRate.reconnectMaxMs,
      },
      onPrivateMessage: (user, inbound) => {
        for (const event of runtime.mapper.map(inbound, user.userId)) this.emitInOrder(config.name, event);
      },
      onLoginRejected: (user, rejection) =>
        void this.loginReports!.report(user.userId, config.name, rejection),
    });
    runtime.mapper = new InboundMapper(
      runtime.bot,
      runtime.recent,
      (name) => runtime.pool.matrixUserOfNick(name) ?? runtime.relayedNames.userFor(name),
      (nick) => runtime.pool.isBridgedNick(nick),
    );
    this.networks.set(config.name, runtime);
    await runtime.bot.start();
    log.info('network connected', { nick: runtime.bot.nick, echoMessage: runtime.bot.hasEchoMessage });
  }

  /** One line in the room for everyone a netsplit took away, instead of one leave event each. */
  private netsplitNotice(runtime: NetworkRuntime, channel: string, nicks: string[], reason: string): void {
    const chatId = runtime.mapper.chatIdFor(channel);
    this.runInOrder(runtime.bot.config.name, async () => {
      const portal = await this.ctx!.portalForChat(chatId);
      if (!portal) return;
      const who =
        nicks.length > 10
          ? `${nicks.slice(0, 10).join(', ')} and ${nicks.length - 10} more`
          : nicks.join(', ');
      await this.ctx!.notice(
        portal.roomId,
        `${nicks.length} IRC user(s) did not come back after a netsplit (${reason}): ${who}`,
      ).catch((err: Error) => this.log!.warn('netsplit notice not sent', { chat: chatId, err }));
    });
  }

  /** Remember who is connected, so a restarted bridge reconnects them (most recently active first). */
  private async saveVirtualUsers(runtime: NetworkRuntime): Promise<void> {
    if (!runtime.pool.settings.enabled) return;
    await this.ctx!.kv.set(KV_NAMESPACE, `virtual-users/${runtime.bot.config.name}`, runtime.pool.records());
  }

  private async restoreVirtualUsers(runtime: NetworkRuntime): Promise<void> {
    if (!runtime.pool.settings.enabled) return;
    const key = `virtual-users/${runtime.bot.config.name}`;
    const records = (await this.ctx!.kv.get<VirtualUserRecord[]>(KV_NAMESPACE, key)) ?? [];
    if (records.length)
      this.log!.info('reconnecting virtual users', {
        network: runtime.bot.config.name,
        count: records.length,
      });
    await runtime.pool.restore(records);
  }

  /**
   * Hand an event to the core in the order IRC said it. The core keeps each chat in order, so chat
   * events go at once; a nick change (no chat of its own) waits for what came before it.
   */
  private emitInOrder(network: string, event: Parameters<BridgeContext['emit']>[0]): void {
    const deliver = () =>
      this.ctx!.emit(event).catch((err: Error) =>
        this.log!.error('core did not accept a remote event', { network, kind: event.kind, err }),
      );
    if (event.kind === 'profile') this.orderOf(network).afterAll(deliver);
    else this.orderOf(network).now(deliver);
  }

  /** Run work after everything already handed to the core for this network (it must not reject). */
  private runInOrder(network: string, work: () => Promise<unknown>): void {
    this.orderOf(network).afterAll(work);
  }

  private orderOf(network: string): RemoteEventOrder {
    let order = this.eventOrders.get(network);
    if (!order) {
      order = new RemoteEventOrder((err) => this.log!.error('remote event work failed', { network, err }));
      this.eventOrders.set(network, order);
    }
    return order;
  }
}

/** Compile-time proof that the IRC connector satisfies the contract. */
export const createIrcConnector = (): IrcConnector => new IrcConnector() satisfies Connector<IrcConfig>;
