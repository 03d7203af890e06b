/**
 * The IRC connector (relay mode): one bot connection per configured network. IRC -> Matrix:
 * messages, actions and notices with formatting and server-time, membership, topics and nick
 * changes. Matrix -> IRC: the bot speaks as `<name> text`, with replies quoted, edits as correction
 * lines and (optionally) reactions as actions, all split to the line limit and flood controlled.
 */
import type {
  AliasResolvingConnector,
  BackfillingConnector,
  BridgeContext,
  Capabilities,
  ChatInfo,
  Connector,
  Logger,
  MatrixSideEvent,
  MatrixUser,
  PlumbingConnector,
  Portal,
  RemoteRef,
} from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import type { IrcConfig } from './config';
import { messageByteBudget } from './format';
import { isChannelName, parseAliasLocalpart, parseChatId } from './ids';
import { InboundMapper } from './inbound-to-remote';
import { IrcConnectionError, isLocalId, IrcConnection, type OutgoingKind } from './network/irc-connection';
import { RecentMessages } from './recent-messages';
import { relayLines, relayName } from './relay/relay-lines';
import { RelayedNames } from './relay/relayed-names';

interface NetworkRuntime {
  bot: IrcConnection;
  mapper: InboundMapper;
  recent: RecentMessages;
  relayedNames: RelayedNames;
}

export class IrcConnector
  implements Connector<IrcConfig>, AliasResolvingConnector, PlumbingConnector, BackfillingConnector
{
  readonly network = 'irc';
  readonly displayName = 'IRC';
  readonly capabilities: Capabilities = {
    edits: false,
    redactions: false,
    reactions: false,
    replies: true, // quoted, plus IRCv3 +draft/reply where the server passes client tags
    threads: false,
    typing: false,
    media: false,
    maxMessageLength: 400,
  };

  private ctx: BridgeContext<IrcConfig> | undefined;
  private log: Logger | undefined;
  private readonly networks = new Map<string, NetworkRuntime>();
  /** Remote events are handed to the core one at a time per network, in the order IRC said them. */
  private readonly emitChains = new Map<string, Promise<void>>();

  async start(ctx: BridgeContext<IrcConfig>): Promise<void> {
    this.ctx = ctx;
    this.log = ctx.log.child({ network: 'irc' });
    await Promise.all(ctx.config.networks.map((config) => this.startNetwork(config)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.networks.values()].map((n) => n.bot.stop()));
    await Promise.all(this.emitChains.values());
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

  async send(portal: Portal, event: MatrixSideEvent): Promise<RemoteRef[]> {
    const ref = parseChatId(portal.chatId);
    const runtime = ref && this.networks.get(ref.network);
    if (!ref || !runtime) throw new RemoteSendError(`no IRC network for ${portal.chatId}`);
    const { bot, recent } = runtime;
    if (!bot.config.relay.enabled) throw new RemoteSendError(`relaying is disabled on ${bot.config.name}`);
    const budget = (kind: OutgoingKind) =>
      messageByteBudget({
        command: kind === 'notice' ? 'NOTICE' : 'PRIVMSG',
        target: ref.target,
        action: kind === 'action',
      });
    try {
      switch (event.kind) {
        case 'message': {
          const replyTo = event.replyTo && recent.get(event.replyTo.id);
          const out = relayLines({
            senderName: event.sender.displayName,
            content: event.content,
            replyTo,
            budget,
            maxLines: bot.config.maxLinesPerMessage,
          });
          // Clients with IRCv3 replies thread the message; others still read the quote.
          const tags: Record<string, string> =
            event.replyTo && !isLocalId(event.replyTo.id) ? { '+draft/reply': event.replyTo.id } : {};
          return await this.sendLines(runtime, out.kind, ref.target, out.lines, event.sender, tags);
        }
        case 'edit': {
          const out = relayLines({
            senderName: event.sender.displayName,
            content: event.content,
            isEdit: true,
            budget,
            maxLines: bot.config.maxLinesPerMessage,
          });
          return await this.sendLines(runtime, out.kind, ref.target, out.lines, event.sender);
        }
        case 'reaction': {
          if (!bot.config.relay.reactions) return [];
          const original = recent.get(event.target.id);
          const about = original ? ` to ${original.nick}: "${original.text.slice(0, 40)}"` : '';
          const line = `${relayName(event.sender.displayName)} reacted ${event.key}${about}`;
          return await this.sendLines(runtime, 'action', ref.target, [line], event.sender);
        }
        case 'topic':
          if (isChannelName(ref.target, bot.chanTypes)) await bot.setTopic(ref.target, event.topic);
          return [];
        default:
          return [];
      }
    } catch (err) {
      if (err instanceof RemoteSendError) throw err;
      const retryable = err instanceof IrcConnectionError ? err.retryable : false;
      throw new RemoteSendError(`IRC send to ${portal.chatId} failed: ${(err as Error).message}`, {
        retryable,
        ...(retryable && { retryAfterMs: 5000 }),
      });
    }
  }

  private async sendLines(
    runtime: NetworkRuntime,
    kind: OutgoingKind,
    target: string,
    lines: string[],
    sender: MatrixUser,
    tags: Record<string, string> = {},
  ): Promise<RemoteRef[]> {
    const name = relayName(sender.displayName);
    runtime.relayedNames.remember(name, sender.userId);
    const ids = await runtime.bot.send(kind, target, lines, tags);
    ids.forEach((id, i) =>
      runtime.recent.remember(id, { nick: name, text: stripRelayPrefix(lines[i] ?? '') }),
    );
    return ids.map((id, part) => ({ id, part }));
  }

  private async joinChat(runtime: NetworkRuntime, channel: string): Promise<ChatInfo> {
    const state = await runtime.bot.join(channel);
    return {
      chatId: runtime.mapper.chatIdFor(channel),
      name: state.name,
      ...(state.topic && { topic: state.topic }),
      kind: 'channel',
      members: [...state.members.values()]
        .filter((nick) => runtime.bot.fold(nick) !== runtime.bot.fold(runtime.bot.nick))
        .map((nick) => runtime.mapper.user(nick)),
    };
  }

  private async startNetwork(config: IrcConfig['networks'][number]): Promise<void> {
    const log = this.log!.child({ network: config.name });
    const recent = new RecentMessages();
    const runtime = {} as NetworkRuntime;
    runtime.recent = recent;
    runtime.bot = new IrcConnection(config, log, (inbound) => {
      for (const event of runtime.mapper.map(inbound)) this.emitInOrder(config.name, event);
    });
    runtime.relayedNames = new RelayedNames((s) => runtime.bot.fold(s));
    runtime.mapper = new InboundMapper(runtime.bot, recent, (name) => runtime.relayedNames.userFor(name));
    this.networks.set(config.name, runtime);
    await runtime.bot.start();
    log.info('network connected', { nick: runtime.bot.nick, echoMessage: runtime.bot.hasEchoMessage });
  }

  private emitInOrder(network: string, event: Parameters<BridgeContext['emit']>[0]): void {
    const previous = this.emitChains.get(network) ?? Promise.resolve();
    const next = previous.then(() =>
      this.ctx!.emit(event).catch((err: Error) =>
        this.log!.error('core did not accept a remote event', { network, kind: event.kind, err }),
      ),
    );
    this.emitChains.set(network, next);
  }
}

/** `<Alice> text` -> `text`, so a quote of a relayed line does not repeat the name. */
const stripRelayPrefix = (line: string) => line.replace(/^<[^>]*> /, '');

/** Compile-time proof that the IRC connector satisfies the contract. */
export const createIrcConnector = (): IrcConnector => new IrcConnector() satisfies Connector<IrcConfig>;
