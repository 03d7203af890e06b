/**
 * The loopback connector: the smallest complete Trestle connector, talking to a {@link LoopbackNetwork}.
 * It is the worked example in docs/bridge-authors.md, so it shows each duty of a connector once:
 * reading the network with a cursor committed only after the core has handled each event, filtering
 * the network's echoes of our own posts, sending idempotently (the Matrix event id as nonce), and
 * turning network failures into {@link RemoteSendError}s the core can retry or report.
 */
import http from 'node:http';
import {
  RemoteSendError,
  type AliasResolvingConnector,
  type BridgeContext,
  type ChatInfo,
  type Connector,
  type MatrixSideEvent,
  type MessageContent,
  type PlumbingConnector,
  type Portal,
  type RemoteEvent,
  type RemoteRef,
  type RichText,
  irFromText,
  irToPlainText,
} from '@trestle/core';
import type { LoopbackEvent, LoopbackSendRequest, LoopbackUser } from './loopback-network';

/** The `network:` section of a loopback bridge's config. */
export interface LoopbackConfig {
  /** Base URL of the loopback network. */
  url: string;
}

const CURSOR = { namespace: 'loopback', key: 'cursor' };

export class LoopbackConnector
  implements Connector<LoopbackConfig>, AliasResolvingConnector, PlumbingConnector
{
  readonly network = 'loopback';
  readonly displayName = 'Loopback';
  readonly capabilities = {
    edits: true,
    redactions: true,
    reactions: true,
    replies: true,
    threads: false,
    typing: false,
    media: true,
  };
  private ctx?: BridgeContext<LoopbackConfig>;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  private polling?: Promise<void>;
  private stopped = false;
  private abortPoll?: () => void;

  async start(ctx: BridgeContext<LoopbackConfig>): Promise<void> {
    this.ctx = ctx;
    this.stopped = false;
    this.polling = this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abortPoll?.();
    await this.polling;
    this.agent.destroy();
  }

  async resolveAlias(localpart: string): Promise<ChatInfo | undefined> {
    if (!/^[a-z0-9_-]+$/.test(localpart)) return undefined;
    const chat = await this.request<{ id: string; name: string; group?: string }>(
      'GET',
      `/chats/${encodeURIComponent(localpart)}`,
    );
    const space = chat.group ? { id: chat.group, name: `Loopback ${chat.group}` } : undefined;
    return { chatId: chat.id, name: chat.name, kind: 'group', space };
  }

  async prepareLink(chatId: string): Promise<ChatInfo> {
    return (
      (await this.resolveAlias(chatId)) ??
      Promise.reject(new Error(`"${chatId}" is not a loopback chat name`))
    );
  }

  async send(portal: Portal, ev: MatrixSideEvent): Promise<RemoteRef[]> {
    if (
      ev.kind !== 'message' &&
      ev.kind !== 'edit' &&
      ev.kind !== 'redaction' &&
      ev.kind !== 'reaction' &&
      ev.kind !== 'reaction-removed'
    ) {
      return [];
    }
    const base = {
      chatId: portal.chatId,
      nonce: ev.eventId,
      sender: { id: ev.sender.userId, name: ev.sender.displayName },
    };
    let request: LoopbackSendRequest;
    switch (ev.kind) {
      case 'message':
        request = {
          ...base,
          type: 'message',
          ...(await this.toNetwork(ev.content)),
          replyTo: ev.replyTo?.id,
        };
        break;
      case 'edit': {
        const { text, rich } = await this.toNetwork(ev.content);
        request = { ...base, type: 'edit', messageId: ev.target[0]!.id, text, rich };
        break;
      }
      case 'redaction':
        request = { ...base, type: 'delete', messageId: ev.target[0]!.id };
        break;
      case 'reaction':
        request = { ...base, type: 'reaction', messageId: ev.target.id, key: ev.key };
        break;
      case 'reaction-removed':
        request = { ...base, type: 'unreaction', messageId: ev.target.id, key: ev.key };
        break;
    }
    const { id } = await this.request<{ id: string }>('POST', '/send', request);
    return id ? [{ id }] : [];
  }

  private async toNetwork(content: MessageContent) {
    if (content.type === 'text')
      return { text: irToPlainText(content.body), rich: content.body, style: content.msgtype };
    if (content.type === 'media') {
      const data = await content.source.fetch();
      return {
        text: content.caption ? irToPlainText(content.caption) : content.name,
        file: {
          name: content.name,
          mimetype: content.mimetype ?? 'application/octet-stream',
          data: data.toString('base64'),
        },
      };
    }
    return { text: `${content.description ?? 'Location'}: geo:${content.latitude},${content.longitude}` };
  }

  /** Read the event log from the committed cursor; commit after the core has handled each batch. */
  private async poll(): Promise<void> {
    const ctx = this.ctx!;
    let cursor = (await ctx.kv.get<number>(CURSOR.namespace, CURSOR.key)) ?? 0;
    while (!this.stopped) {
      let batch: LoopbackEvent[];
      try {
        batch = await this.request<LoopbackEvent[]>(
          'GET',
          `/events?after=${cursor}&wait=25000`,
          undefined,
          true,
        );
      } catch (err) {
        if (this.stopped) return;
        ctx.log.warn('loopback poll failed; retrying', { err });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      // Events are queued per chat in call order, so emitting a batch at once keeps each chat ordered.
      await Promise.all(
        batch
          .filter((e) => e.origin === 'network')
          .map((e) => ctx.emit(toRemoteEvent(e, this.fileFetcher()))),
      );
      if (batch.length) {
        cursor = batch[batch.length - 1]!.seq;
        await ctx.kv.set(CURSOR.namespace, CURSOR.key, cursor);
      }
    }
  }

  private fileFetcher() {
    return (messageId: string) =>
      this.request<Buffer>('GET', `/files/${encodeURIComponent(messageId)}`, undefined, false, true);
  }

  private request<T>(
    method: string,
    path: string,
    body?: unknown,
    abortable = false,
    binary = false,
  ): Promise<T> {
    const url = new URL(path, this.ctx!.config.url);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status === 200) return resolve((binary ? buf : JSON.parse(buf.toString('utf8'))) as T);
            const err = (() => {
              try {
                return JSON.parse(buf.toString('utf8')) as { error?: string; retry_after_ms?: number };
              } catch {
                return {};
              }
            })();
            reject(
              new RemoteSendError(`loopback network answered ${status}: ${err.error ?? 'error'}`, {
                retryable: status === 429 || status >= 500,
                retryAfterMs: err.retry_after_ms,
                status,
              }),
            );
          });
        },
      );
      req.on('error', (e) =>
        reject(new RemoteSendError(`loopback network unreachable: ${e.message}`, { retryable: true })),
      );
      if (abortable) this.abortPoll = () => req.destroy();
      req.end(payload);
    });
  }
}

function user(u: LoopbackUser) {
  return { id: u.id, displayName: u.name };
}

function toRemoteEvent(e: LoopbackEvent, fetchFile: (messageId: string) => Promise<Buffer>): RemoteEvent {
  switch (e.type) {
    case 'message': {
      const m = e.message;
      const body: RichText = m.rich ?? irFromText(m.text);
      const parts: MessageContent[] = m.file
        ? [
            {
              type: 'media',
              kind: m.file.mimetype.startsWith('image/') ? 'image' : 'file',
              name: m.file.name,
              mimetype: m.file.mimetype,
              size: Buffer.byteLength(m.file.data, 'base64'),
              source: { key: `loopback:${m.id}`, mimetype: m.file.mimetype, fetch: () => fetchFile(m.id) },
            },
          ]
        : [{ type: 'text', msgtype: m.style ?? 'text', body }];
      return {
        kind: 'message',
        chatId: m.chatId,
        id: m.id,
        sender: user(m.sender),
        parts,
        replyTo: m.replyTo,
        timestamp: m.ts,
      };
    }
    case 'edit':
      return {
        kind: 'edit',
        chatId: e.chatId,
        id: e.editId,
        targetId: e.messageId,
        sender: user(e.sender),
        content: { type: 'text', msgtype: 'text', body: e.rich ?? irFromText(e.text) },
      };
    case 'delete':
      return { kind: 'redaction', chatId: e.chatId, targetId: e.messageId, sender: user(e.sender) };
    case 'reaction':
      return {
        kind: 'reaction',
        chatId: e.chatId,
        targetId: e.messageId,
        sender: user(e.sender),
        key: e.key,
      };
    case 'unreaction':
      return {
        kind: 'reaction-removed',
        chatId: e.chatId,
        targetId: e.messageId,
        sender: user(e.sender),
        key: e.key,
      };
  }
}
