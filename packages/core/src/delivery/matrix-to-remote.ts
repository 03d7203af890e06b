/**
 * Matrix -> remote: journals transaction events (the transaction is answered only after that), then
 * works through the journal in per-room order, turning events into {@link MatrixSideEvent}s for the
 * connector. Events already in the message map are skipped, so a replay after a crash never sends twice
 * from our side; a message that finally fails produces a visible notice in the room.
 */
import type { Connector } from '../connector/connector';
import { RemoteSendError, canModerate, canPuppet } from '../connector/connector';
import type { MatrixSideEvent, MatrixUser, MessageContent, RemoteRef } from '../model/events';
import { irMapInlines } from '../format/ir-walk';
import type { Portal } from '../model/portal';
import type { JournalEntry, JournalStore, MessageMapping, MessageStore } from '../store/store';
import type { Logger } from '../log/logger';
import type { BridgeMetrics, DirectionMetrics } from '../ops/metrics';
import type { RawMatrixEvent } from '../appservice/appservice-server';
import type { MatrixApi } from '../matrix/matrix-api';
import type { Ghosts } from '../matrix/ghosts';
import type { Portals } from '../matrix/portals';
import type { MediaBridge } from '../matrix/media';
import { KeyedQueue } from './keyed-queue';
import { RetryStoppedError, stoppableSleep, withRetry, type RetryPolicy, type RetryVerdict } from './retry';
import { parseMatrixMessage } from './matrix-message-parser';
import { MatrixProfiles } from './matrix-profiles';
import { moderationActionOf } from './matrix-moderation';

/** Event types the bridge acts on; everything else is answered and forgotten. */
const BRIDGED_TYPES = new Set([
  'm.room.message',
  'm.sticker',
  'm.reaction',
  'm.room.redaction',
  'm.room.member',
  'm.room.topic',
  'm.room.name',
  'm.room.power_levels',
  // Not bridged, but answered with a notice: encrypted rooms are refused visibly.
  'm.room.encrypted',
  'm.room.encryption',
]);

export interface MatrixToRemoteDeps {
  networkName: string;
  connector: Connector;
  api: MatrixApi;
  ghosts: Ghosts;
  portals: Portals;
  media: MediaBridge;
  messages: MessageStore;
  journal: JournalStore;
  retry: RetryPolicy;
  metrics: BridgeMetrics;
  log: Logger;
  /**
   * Bot commands and events outside portals (invites, management room); resolves true when consumed. False
   * at once for an event it has no business with (most), which costs no promise.
   */
  intercept(event: RawMatrixEvent, portal: Portal | undefined): false | Promise<boolean>;
}

function toRef(m: MessageMapping): RemoteRef {
  return { id: m.remoteId, part: m.part };
}

function classifyRemoteError(err: unknown): RetryVerdict {
  if (err instanceof RemoteSendError)
    return {
      retryable: err.options.retryable || err.options.unreachable === true,
      retryAfterMs: err.options.retryAfterMs,
      unreachable: err.options.unreachable,
    };
  return { retryable: false };
}

export class MatrixToRemote {
  readonly queue = new KeyedQueue();
  readonly profiles: MatrixProfiles;
  private readonly scheduled = new Set<number>();
  /** Rooms already told that encrypted messages cannot be bridged (once per room and run). */
  private readonly toldEncrypted = new Set<string>();
  private readonly metrics: DirectionMetrics;
  private readonly stopping = new AbortController();
  /** Retry waits end when the bridge stops, so shutdown never waits out a long network outage. */
  private readonly retrySleep = stoppableSleep(this.stopping.signal);

  constructor(private readonly d: MatrixToRemoteDeps) {
    this.profiles = new MatrixProfiles(d.api);
    this.metrics = d.metrics.direction('to_remote');
  }

  /**
   * Cut short every retry wait: events waiting for the network stay in the journal, undone, and are
   * sent after the next start. Events not yet tried are still tried once.
   */
  stopRetrying(): void {
    this.stopping.abort();
  }

  /**
   * Journal the events of one appservice transaction; resolves once they are durable, then works on them.
   * A transaction id seen before (the homeserver's retry) journals nothing again.
   */
  async accept(events: RawMatrixEvent[], transactionId?: string): Promise<void> {
    const relevant = events.filter((e) => BRIDGED_TYPES.has(e.type) && !this.isOwnPuppet(e.sender, e));
    for (const e of events) if (e.type === 'm.room.member') this.observeMember(e);
    if (relevant.length === 0) return;
    const added = await this.d.journal.append(
      relevant.map((e) => ({ roomId: e.room_id, eventId: e.event_id, event: e as never })),
      transactionId,
    );
    for (const entry of added) this.schedule(entry);
  }

  private observeMember(e: RawMatrixEvent): void {
    this.profiles.observe(e);
    // A ghost kicked or banned by a Matrix user must join again before it next speaks.
    if (e.state_key && e.content.membership !== 'join' && this.d.ghosts.isGhost(e.state_key))
      this.d.ghosts.forgetMembership(e.room_id, e.state_key);
  }

  /** Work through everything journaled and not yet done: the replay after a restart or a crash. */
  async replayPending(): Promise<void> {
    const pending = await this.d.journal.pending();
    if (pending.length) this.d.log.info('replaying journaled Matrix events', { count: pending.length });
    // Any of them may have been sent just before the crash: the message map (checked for replays) and the
    // connector's idempotency (event id as nonce) decide.
    for (const entry of pending) this.schedule(entry, true);
  }

  /** `replayed`: the entry comes from an earlier run, so it may have been bridged already. */
  private schedule(entry: JournalEntry, replayed = false): void {
    if (this.scheduled.has(entry.seq)) return;
    this.scheduled.add(entry.seq);
    this.metrics.queueDepth.inc();
    this.d.metrics.journalBacklog.inc();
    const settled = () => {
      this.scheduled.delete(entry.seq);
      this.metrics.queueDepth.dec();
      this.d.metrics.journalBacklog.dec();
    };
    void this.queue.push(entry.roomId, () => this.process(entry, replayed)).then(settled, settled);
  }

  /** Typing notifications (ephemeral; best effort, not journaled). */
  async typing(roomId: string, userIds: string[]): Promise<void> {
    if (!this.d.connector.capabilities.typing) return;
    const portal = await this.d.portals.byRoom(roomId);
    if (!portal) return;
    for (const change of this.profiles.typingChanges(
      roomId,
      userIds.filter((u) => !this.isOwnPuppet(u)),
    )) {
      const sender = await this.profiles.get(roomId, change.userId);
      await this.d.connector.send(portal, { kind: 'typing', sender, typing: change.typing }).catch((err) => {
        this.d.log.debug('typing not delivered', { portal: roomId, err });
      });
    }
  }

  private isOwnPuppet(userId: string, event?: RawMatrixEvent): boolean {
    // The bot's own invites/joins must still reach `intercept` when someone else sent them.
    if (userId === this.d.api.botUserId) return event?.type !== 'm.room.member' || event.state_key !== userId;
    return this.d.ghosts.isGhost(userId);
  }

  private async process(entry: JournalEntry, replayed: boolean): Promise<void> {
    const ev = entry.event as unknown as RawMatrixEvent;
    const started = Date.now();
    try {
      // A fresh entry is new by construction: the journal took only event ids it had not seen.
      if (replayed && (await this.d.messages.byEvent(ev.event_id))) {
        this.metrics.events.skipped.inc();
        return await this.d.journal.markDone(entry.seq);
      }
      const portal = await this.d.portals.byRoom(ev.room_id);
      const intercepted = this.d.intercept(ev, portal);
      if ((intercepted && (await intercepted)) || !portal || ev.sender === this.d.api.botUserId) {
        return await this.d.journal.markDone(entry.seq);
      }
      if (ev.type === 'm.room.encrypted' || ev.type === 'm.room.encryption') {
        await this.refuseEncrypted(ev.room_id);
        return await this.d.journal.markDone(entry.seq);
      }
      if (await this.moderate(portal, ev)) return await this.d.journal.markDone(entry.seq);
      const side = await this.toSideEvent(portal, ev);
      if (!side) {
        this.metrics.events.skipped.inc();
        return await this.d.journal.markDone(entry.seq);
      }
      if (side.kind === 'membership' && side.membership === 'join' && canPuppet(this.d.connector)) {
        await this.d.connector.onMatrixUserJoined(portal, side.target);
      }
      const refs = await withRetry(
        () => this.d.connector.send(portal, side),
        this.d.retry,
        classifyRemoteError,
        this.retrySleep,
      );
      await this.record(portal, ev, side, refs);
      await this.d.journal.markDone(entry.seq);
      this.metrics.events.sent.inc();
      this.metrics.sendLatency.observe((Date.now() - started) / 1000);
    } catch (err) {
      if (err instanceof RetryStoppedError) {
        // Still journaled, not done: the next start sends it.
        this.d.log.info('bridge stopping; event left for the next start', { event: ev.event_id });
        return;
      }
      this.metrics.events.failed.inc();
      this.d.log.warn('event could not be delivered to the network', {
        portal: ev.room_id,
        event: ev.event_id,
        err,
      });
      await this.failureNotice(ev, err);
      await this.d.journal.markDone(entry.seq).catch((markErr) => {
        this.d.log.error('journal entry could not be closed', { event: ev.event_id, err: markErr });
      });
    }
  }

  /** Kicks/bans of ghosts and power-level changes, for connectors that mirror them; true when handled. */
  private async moderate(portal: Portal, ev: RawMatrixEvent): Promise<boolean> {
    const { connector } = this.d;
    if (!canModerate(connector)) return false;
    const action = moderationActionOf(ev, this.d.ghosts);
    if (!action) return false;
    await withRetry(
      () => connector.moderate(portal, action),
      this.d.retry,
      classifyRemoteError,
      this.retrySleep,
    );
    return true;
  }

  private async record(
    portal: Portal,
    ev: RawMatrixEvent,
    side: MatrixSideEvent,
    refs: RemoteRef[],
  ): Promise<void> {
    const { roomId, chatId } = portal;
    const mapping = (remoteId: string, part: number, reactionKey?: string): MessageMapping => ({
      roomId,
      eventId: ev.event_id,
      chatId,
      remoteId,
      part,
      sender: ev.sender,
      createdAt: Date.now(),
      ...(reactionKey !== undefined && { reactionKey }),
    });
    if (side.kind === 'reaction') {
      await this.d.messages.add([mapping(side.target.id, 0, side.key)]);
    } else if (side.kind === 'message') {
      await this.d.messages.add(refs.map((r, i) => mapping(r.id, r.part ?? i)));
    } else if (side.kind === 'topic' || side.kind === 'name') {
      // Remember what the room now says, so the network's echo of the change is not written back.
      await this.d.portals.update({
        ...portal,
        ...(side.kind === 'topic' ? { topic: side.topic } : { name: side.name }),
      });
    } else if (side.kind === 'reaction-removed' || side.kind === 'redaction') {
      const redacts = ev.redacts ?? (ev.content.redacts as string | undefined);
      if (redacts) await this.d.messages.removeEvent(redacts);
    }
  }

  private async toSideEvent(portal: Portal, ev: RawMatrixEvent): Promise<MatrixSideEvent | undefined> {
    const { messages } = this.d;
    const sender: MatrixUser =
      this.profiles.known(portal.roomId, ev.sender) ?? (await this.profiles.get(portal.roomId, ev.sender));
    const relatesTo = (ev.content['m.relates_to'] ?? {}) as Record<string, unknown>;
    switch (ev.type) {
      case 'm.room.message':
      case 'm.sticker': {
        if (relatesTo.rel_type === 'm.replace' && typeof relatesTo.event_id === 'string') {
          const target = await messages.byEvent(relatesTo.event_id);
          const fresh = (ev.content['m.new_content'] ?? ev.content) as Record<string, unknown>;
          const content = this.withRemoteMentions(parseMatrixMessage(ev.type, fresh, this.d.media));
          if (!target || !content) return undefined;
          return {
            kind: 'edit',
            eventId: ev.event_id,
            sender,
            target: [{ id: target.remoteId, part: target.part }],
            content,
          };
        }
        const content = this.withRemoteMentions(parseMatrixMessage(ev.type, ev.content, this.d.media));
        if (!content) return undefined;
        const replyId = (relatesTo['m.in_reply_to'] as { event_id?: string } | undefined)?.event_id;
        const isThread = relatesTo.rel_type === 'm.thread' && typeof relatesTo.event_id === 'string';
        const reply =
          replyId && !(isThread && relatesTo.is_falling_back) ? await messages.byEvent(replyId) : undefined;
        const root = isThread ? await messages.byEvent(relatesTo.event_id as string) : undefined;
        return {
          kind: 'message',
          eventId: ev.event_id,
          sender,
          content,
          replyTo: reply ? { id: reply.remoteId, part: reply.part } : undefined,
          threadRoot: root ? { id: root.remoteId, part: root.part } : undefined,
        };
      }
      case 'm.reaction': {
        if (relatesTo.rel_type !== 'm.annotation' || typeof relatesTo.event_id !== 'string') return undefined;
        const target = await messages.byEvent(relatesTo.event_id);
        if (!target || typeof relatesTo.key !== 'string') return undefined;
        return {
          kind: 'reaction',
          eventId: ev.event_id,
          sender,
          target: { id: target.remoteId, part: target.part },
          key: relatesTo.key,
        };
      }
      case 'm.room.redaction': {
        const redacts = ev.redacts ?? (ev.content.redacts as string | undefined);
        const parts = redacts ? await messages.partsOfEvent(redacts) : [];
        const [first] = parts;
        if (!first) return undefined;
        if (first.reactionKey !== undefined && first.reactionKey !== null) {
          return {
            kind: 'reaction-removed',
            eventId: ev.event_id,
            sender,
            target: toRef(first),
            key: first.reactionKey,
          };
        }
        const reason = typeof ev.content.reason === 'string' ? ev.content.reason : undefined;
        return { kind: 'redaction', eventId: ev.event_id, sender, target: parts.map(toRef), reason };
      }
      case 'm.room.member': {
        const membership = String(ev.content.membership ?? '');
        const target = ev.state_key ?? ev.sender;
        if (this.d.ghosts.isGhost(target) || target === this.d.api.botUserId) return undefined;
        if (membership === 'join' || membership === 'ban') {
          return { kind: 'membership', sender, membership, target };
        }
        if (membership === 'leave') {
          const kind = target === ev.sender ? 'leave' : 'kick';
          const reason = typeof ev.content.reason === 'string' ? ev.content.reason : undefined;
          return { kind: 'membership', sender, membership: kind, target, reason };
        }
        return undefined;
      }
      case 'm.room.topic':
        return { kind: 'topic', sender, topic: String(ev.content.topic ?? '') };
      case 'm.room.name':
        return { kind: 'name', sender, name: String(ev.content.name ?? '') };
    }
    return undefined;
  }

  /** Pills of this bridge's ghosts name the remote user behind them, so connectors can mention them natively. */
  private withRemoteMentions(content: MessageContent | undefined): MessageContent | undefined {
    if (!content) return content;
    const resolve = (body: NonNullable<Extract<MessageContent, { type: 'text' }>['body']>) =>
      irMapInlines(body, (inline) => {
        if (inline.type !== 'mention' || inline.target.kind !== 'user' || inline.target.remoteId)
          return inline;
        const remoteId = inline.target.matrixId
          ? this.d.ghosts.remoteIdOf(inline.target.matrixId)
          : undefined;
        return remoteId === undefined ? inline : { ...inline, target: { ...inline.target, remoteId } };
      });
    if (content.type === 'text') return { ...content, body: resolve(content.body) };
    if (content.type === 'media' && content.caption) return { ...content, caption: resolve(content.caption) };
    return content;
  }

  private async refuseEncrypted(roomId: string): Promise<void> {
    if (this.toldEncrypted.has(roomId)) return;
    this.toldEncrypted.add(roomId);
    const body = `⚠️ This room is encrypted. Trestle cannot bridge encrypted messages to ${this.d.networkName} yet, so they are not delivered.`;
    await this.d.api.sendEvent(
      roomId,
      'm.room.message',
      { msgtype: 'm.notice', body },
      `trestle.encrypted.${roomId}`,
    );
  }

  private async failureNotice(ev: RawMatrixEvent, err: unknown): Promise<void> {
    if (ev.type === 'm.room.member') return;
    const reason = err instanceof Error ? err.message : String(err);
    const body = `⚠️ Your message could not be delivered to ${this.d.networkName}: ${reason}`;
    try {
      await this.d.api.sendEvent(
        ev.room_id,
        'm.room.message',
        { msgtype: 'm.notice', body, 'm.relates_to': { 'm.in_reply_to': { event_id: ev.event_id } } },
        `trestle.fail.${ev.event_id}`,
      );
    } catch (noticeErr) {
      this.d.log.error('failure notice could not be sent either', { portal: ev.room_id, err: noticeErr });
    }
  }
}
