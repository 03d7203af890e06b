/**
 * Remote -> Matrix: turns a connector's {@link RemoteEvent}s into Matrix events sent by ghosts, in
 * per-portal order, exactly once (deterministic transaction ids + the message map), and tells the room
 * visibly when something finally cannot be delivered.
 */
import type { DirectChatInfo } from '../connector/connector';
import type { MessageContent, RemoteEvent } from '../model/events';
import type { Portal } from '../model/portal';
import type { MessageStore } from '../store/store';
import type { Logger } from '../log/logger';
import type { BridgeMetrics, DirectionMetrics } from '../ops/metrics';
import { MatrixApi, MatrixApiError } from '../matrix/matrix-api';
import type { Ghosts } from '../matrix/ghosts';
import type { Portals } from '../matrix/portals';
import type { MediaBridge } from '../matrix/media';
import { KeyedQueue } from './keyed-queue';
import { withRetry, type RetryPolicy } from './retry';
import { remoteTransactionId } from './transaction-id';
import { MatrixContentBuilder } from './matrix-content';

export interface RemoteToMatrixDeps {
  network: string;
  networkName: string;
  api: MatrixApi;
  ghosts: Ghosts;
  portals: Portals;
  media: MediaBridge;
  messages: MessageStore;
  retry: RetryPolicy;
  metrics: BridgeMetrics;
  log: Logger;
  /** For events in chats without a portal: the direct chat to create, if the connector bridges it. */
  directChatFor?: (chatId: string) => Promise<DirectChatInfo | undefined>;
  /** For events in chats without a portal: the child portal (forum topic …) created for it, if any. */
  childPortalFor?: (chatId: string) => Promise<Portal | undefined>;
}

function classifyMatrixError(err: unknown): { retryable: boolean; retryAfterMs?: number } {
  if (err instanceof MatrixApiError) return { retryable: err.retryable, retryAfterMs: err.retryAfterMs };
  return { retryable: false };
}

export class RemoteToMatrix {
  readonly queue = new KeyedQueue();
  private readonly content: MatrixContentBuilder;
  private readonly metrics: DirectionMetrics;

  constructor(private readonly d: RemoteToMatrixDeps) {
    this.content = new MatrixContentBuilder(d.ghosts, d.media);
    this.metrics = d.metrics.direction('to_matrix');
  }

  /** Queue an event behind earlier events of the same chat; settles when it is handled. */
  handle(ev: RemoteEvent): Promise<void> {
    const key = 'chatId' in ev ? ev.chatId || 'profile:' : `profile:${ev.user.id}`;
    const started = Date.now();
    const metrics = this.metrics;
    metrics.queueDepth.inc();
    return this.queue
      .push(key, () => this.deliver(ev))
      .then(
        (outcome) => {
          metrics.queueDepth.dec();
          metrics.events[outcome].inc();
          if (outcome === 'sent') metrics.sendLatency.observe((Date.now() - started) / 1000);
        },
        () => {
          metrics.queueDepth.dec();
          metrics.events.failed.inc();
        },
      );
  }

  private async deliver(ev: RemoteEvent): Promise<'sent' | 'skipped' | 'failed'> {
    if (ev.kind === 'profile') {
      await this.retry(() => this.d.ghosts.ensure(ev.user));
      return 'sent';
    }
    const portal = (await this.d.portals.byChat(ev.chatId)) ?? (await this.directPortal(ev));
    if (!portal) {
      this.d.log.debug('event for a chat without a portal dropped', { chat: ev.chatId, kind: ev.kind });
      return 'skipped';
    }
    try {
      return await this.retry(() => this.deliverTo(portal, ev));
    } catch (err) {
      this.d.log.warn('event could not be delivered to Matrix', {
        portal: portal.roomId,
        kind: ev.kind,
        remote: 'id' in ev ? ev.id : undefined,
        err,
      });
      await this.failureNotice(portal, ev, err);
      return 'failed';
    }
  }

  /** Only messages open a child or direct chat; a typing or reaction in an unbridged chat is no reason to. */
  private async directPortal(ev: Exclude<RemoteEvent, { kind: 'profile' }>): Promise<Portal | undefined> {
    if (ev.kind !== 'message') return undefined;
    const { childPortalFor } = this.d;
    const child = childPortalFor && (await this.retry(() => childPortalFor(ev.chatId)));
    if (child) return child;
    if (!this.d.directChatFor) return undefined;
    const chat = await this.d.directChatFor(ev.chatId);
    return chat ? this.retry(() => this.d.portals.createDirect(chat)) : undefined;
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.d.retry, classifyMatrixError);
  }

  private async deliverTo(
    portal: Portal,
    ev: Exclude<RemoteEvent, { kind: 'profile' }>,
  ): Promise<'sent' | 'skipped'> {
    const { api, ghosts, messages, network } = this.d;
    const roomId = portal.roomId;
    switch (ev.kind) {
      case 'message': {
        // Parts already bridged (a replay); almost always none, so no set is made for them.
        const stored = await messages.byRemote(ev.chatId, ev.id);
        const done = stored.length > 0 ? new Set(stored.map((m) => m.part)) : undefined;
        if ((done?.size ?? 0) >= ev.parts.length) return 'skipped';
        const sender = await ghosts.ensure(ev.sender);
        await ghosts.ensureJoined(roomId, sender);
        const relation =
          ev.replyTo || ev.threadRoot
            ? await this.relationFor(ev.chatId, ev.replyTo, ev.threadRoot)
            : undefined;
        for (let part = 0; part < ev.parts.length; part++) {
          if (done?.has(part)) continue;
          const body = ev.parts[part]!;
          // A fresh object from the builder, so the relation can go straight into it.
          const content = await this.content.build(body);
          if (relation) Object.assign(content, relation);
          const txn = remoteTransactionId(network, ev.chatId, ev.id, part);
          const eventId = await api.sendEvent(roomId, eventTypeOf(body), content, txn, sender, ev.timestamp);
          await messages.add([
            { roomId, eventId, chatId: ev.chatId, remoteId: ev.id, part, sender, createdAt: Date.now() },
          ]);
        }
        return 'sent';
      }
      case 'edit': {
        const [target] = await messages.byRemote(ev.chatId, ev.targetId);
        if (!target) return 'skipped';
        const sender = await ghosts.ensure(ev.sender);
        const fresh = await this.content.build(ev.content);
        const content = {
          ...fresh,
          body: `* ${String(fresh.body ?? '')}`,
          ...(typeof fresh.formatted_body === 'string'
            ? { formatted_body: `* ${fresh.formatted_body}` }
            : {}),
          'm.new_content': fresh,
          'm.relates_to': { rel_type: 'm.replace', event_id: target.eventId },
        };
        const txn = remoteTransactionId(network, ev.chatId, `edit:${ev.id}`, 0);
        await api.sendEvent(roomId, eventTypeOf(ev.content), content, txn, sender, ev.timestamp);
        return 'sent';
      }
      case 'redaction': {
        const parts = await messages.byRemote(ev.chatId, ev.targetId);
        if (parts.length === 0) return 'skipped';
        for (const p of parts) {
          // A ghost can always redact what it sent, whoever deleted it on the network (who may not even be
          // known); a Matrix user's bridged message needs the deleter's ghost, or the bot, to have power.
          const redactor = ghosts.isGhost(p.sender) ? p.sender : await ghosts.ensure(ev.sender);
          const txn = remoteTransactionId(network, ev.chatId, `redact:${ev.targetId}`, p.part);
          await this.redactAsSenderOrBot(roomId, p.eventId, txn, redactor, ev.reason);
        }
        return 'sent';
      }
      case 'reaction': {
        const [target] = await messages.byRemote(ev.chatId, ev.targetId);
        if (!target) return 'skipped';
        const sender = await ghosts.ensure(ev.sender);
        await ghosts.ensureJoined(roomId, sender);
        if (await messages.reaction(ev.chatId, ev.targetId, sender, ev.key)) return 'skipped';
        const key = ev.emojiUrl ? await this.d.media.upload(ev.emojiUrl, ev.key) : ev.key;
        const content: Record<string, unknown> = {
          'm.relates_to': { rel_type: 'm.annotation', event_id: target.eventId, key },
          ...(ev.emojiUrl ? { 'com.beeper.reaction.shortcode': ev.key } : {}),
        };
        const txn = remoteTransactionId(
          network,
          ev.chatId,
          `react:${ev.targetId}:${ev.sender.id}:${ev.key}`,
          0,
        );
        const eventId = await api.sendEvent(roomId, 'm.reaction', content, txn, sender);
        await messages.add([
          {
            roomId,
            eventId,
            chatId: ev.chatId,
            remoteId: ev.targetId,
            part: 0,
            sender,
            reactionKey: ev.key,
            createdAt: Date.now(),
          },
        ]);
        return 'sent';
      }
      case 'reaction-removed': {
        const sender = ghosts.userIdFor(ev.sender.id);
        const reaction = await messages.reaction(ev.chatId, ev.targetId, sender, ev.key);
        if (!reaction) return 'skipped';
        const txn = remoteTransactionId(network, ev.chatId, `unreact:${reaction.eventId}`, 0);
        await api.redact(roomId, reaction.eventId, txn, sender);
        await messages.removeEvent(reaction.eventId);
        return 'sent';
      }
      case 'typing': {
        const sender = await ghosts.ensure(ev.sender);
        await ghosts.ensureJoined(roomId, sender);
        await api.typing(roomId, sender, ev.typing);
        return 'sent';
      }
      case 'membership':
        return this.membership(roomId, ev);
      case 'chat-info':
        return this.chatInfo(portal, ev);
      case 'chat-migrated':
        await this.d.portals.migrate(portal, ev.newChatId);
        return 'sent';
    }
  }

  private async relationFor(
    chatId: string,
    replyTo?: string,
    threadRoot?: string,
  ): Promise<Record<string, unknown>> {
    const reply = replyTo ? (await this.d.messages.byRemote(chatId, replyTo))[0] : undefined;
    const root = threadRoot ? (await this.d.messages.byRemote(chatId, threadRoot))[0] : undefined;
    if (root) {
      return {
        'm.relates_to': {
          rel_type: 'm.thread',
          event_id: root.eventId,
          is_falling_back: !reply,
          'm.in_reply_to': { event_id: (reply ?? root).eventId },
        },
      };
    }
    if (reply) return { 'm.relates_to': { 'm.in_reply_to': { event_id: reply.eventId } } };
    return {};
  }

  /** A ghost may redact its own events; for others' (e.g. a moderator deleted them) the bot needs power. */
  private async redactAsSenderOrBot(
    roomId: string,
    eventId: string,
    txn: string,
    sender: string,
    reason?: string,
  ) {
    try {
      await this.d.api.redact(roomId, eventId, txn, sender, reason);
    } catch (err) {
      if (!(err instanceof MatrixApiError) || err.errcode !== 'M_FORBIDDEN') throw err;
      await this.d.api.redact(roomId, eventId, txn, undefined, reason);
    }
  }

  private async membership(
    roomId: string,
    ev: Extract<RemoteEvent, { kind: 'membership' }>,
  ): Promise<'sent'> {
    const { ghosts, api } = this.d;
    const userId = await ghosts.ensure(ev.user);
    if (ev.membership === 'join') await ghosts.ensureJoined(roomId, userId);
    else if (ev.membership === 'leave') await ghosts.leave(roomId, userId).catch(ignoreNotInRoom);
    else {
      ghosts.forgetMembership(roomId, userId);
      const reason = ev.by?.displayName ? `${ev.reason ?? ''} (by ${ev.by.displayName})`.trim() : ev.reason;
      if (ev.membership === 'kick') await api.kick(roomId, userId, reason).catch(ignoreNotInRoom);
      else await api.ban(roomId, userId, reason);
    }
    return 'sent';
  }

  private async chatInfo(portal: Portal, ev: Extract<RemoteEvent, { kind: 'chat-info' }>): Promise<'sent'> {
    const { api } = this.d;
    if (ev.name !== undefined && ev.name !== portal.name) {
      await api.sendState(portal.roomId, 'm.room.name', '', { name: ev.name });
      portal.name = ev.name;
    }
    if (ev.topic !== undefined && ev.topic !== portal.topic) {
      await api.sendState(portal.roomId, 'm.room.topic', '', { topic: ev.topic });
      portal.topic = ev.topic;
    }
    if (ev.avatar) {
      const mxc = await this.d.media.upload(ev.avatar);
      await api.sendState(portal.roomId, 'm.room.avatar', '', { url: mxc });
    } else if (ev.avatar === null) {
      // An m.room.avatar with no url is how Matrix removes a room's avatar.
      await api.sendState(portal.roomId, 'm.room.avatar', '', {});
    }
    await this.d.portals.update(portal);
    return 'sent';
  }

  private async failureNotice(portal: Portal, ev: RemoteEvent, err: unknown): Promise<void> {
    const who = 'sender' in ev ? (ev.sender.displayName ?? ev.sender.id) : 'someone';
    const why = err instanceof MatrixApiError ? err.errcode : 'an internal error';
    const text = `⚠️ A ${ev.kind} from ${who} on ${this.d.networkName} could not be bridged to Matrix (${why}).`;
    try {
      const txn = remoteTransactionId(
        this.d.network,
        portal.chatId,
        `notice:${'id' in ev ? ev.id : Date.now()}`,
        0,
      );
      await this.d.api.sendEvent(portal.roomId, 'm.room.message', { msgtype: 'm.notice', body: text }, txn);
    } catch (noticeErr) {
      this.d.log.error('failure notice could not be sent either', { portal: portal.roomId, err: noticeErr });
    }
  }
}

function eventTypeOf(content: MessageContent): string {
  return content.type === 'media' && content.kind === 'sticker' ? 'm.sticker' : 'm.room.message';
}

function ignoreNotInRoom(err: unknown): void {
  if (err instanceof MatrixApiError && (err.errcode === 'M_FORBIDDEN' || err.errcode === 'M_NOT_FOUND'))
    return;
  throw err;
}
