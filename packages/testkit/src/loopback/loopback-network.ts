/**
 * The loopback network: a tiny chat service on loopback HTTP, standing in for a real network in the
 * core's end-to-end tests and serving as the worked example in docs/bridge-authors.md.
 *
 * It lives in the test process, not in the bridge, so a bridge can be SIGKILLed and restarted while the
 * network keeps its state. Like a good real network it has a cursor (event `seq`, for "what did I miss")
 * and idempotent sends (a `nonce`, like Discord's), which is what lets a bridge be exactly-once across
 * crashes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RichText } from '@trestle/core';

export interface LoopbackUser {
  id: string;
  name: string;
}

export interface LoopbackFile {
  name: string;
  mimetype: string;
  /** base64 */
  data: string;
}

/** A message as the network stores it. `origin: 'bridge'` marks what the bridge posted. */
export interface LoopbackMessage {
  id: string;
  chatId: string;
  sender: LoopbackUser;
  text: string;
  rich?: RichText;
  style?: 'text' | 'emote' | 'notice';
  file?: LoopbackFile;
  replyTo?: string;
  origin: 'network' | 'bridge';
  deleted?: boolean;
  reactions: Array<{ user: string; key: string }>;
  edits: number;
  ts: number;
}

/** What happened, before the log numbers it. */
export type LoopbackEventBody = { origin: 'network' | 'bridge' } & (
  | { type: 'message'; message: LoopbackMessage }
  | {
      type: 'edit';
      chatId: string;
      messageId: string;
      sender: LoopbackUser;
      text: string;
      rich?: RichText;
      editId: string;
    }
  | { type: 'delete'; chatId: string; messageId: string; sender: LoopbackUser }
  | { type: 'reaction'; chatId: string; messageId: string; sender: LoopbackUser; key: string }
  | { type: 'unreaction'; chatId: string; messageId: string; sender: LoopbackUser; key: string }
);

/** One entry in the network's event log, as `/events` returns it. */
export type LoopbackEvent = LoopbackEventBody & { seq: number };

type Waiter = () => void;

/** What the bridge may ask of the network in one `/send` call. */
export type LoopbackSendRequest = { chatId: string; nonce: string; sender: LoopbackUser } & (
  | {
      type: 'message';
      text: string;
      rich?: RichText;
      style?: LoopbackMessage['style'];
      file?: LoopbackFile;
      replyTo?: string;
    }
  | { type: 'edit'; messageId: string; text: string; rich?: RichText }
  | { type: 'delete'; messageId: string }
  | { type: 'reaction'; messageId: string; key: string }
  | { type: 'unreaction'; messageId: string; key: string }
);

export class LoopbackNetwork {
  private server?: http.Server;
  private readonly log: LoopbackEvent[] = [];
  private readonly messagesById = new Map<string, LoopbackMessage>();
  private readonly nonces = new Map<string, string>();
  private readonly waiters = new Set<Waiter>();
  /** Open `/events` long polls: answered at once on stop, so their timers do not keep the process alive. */
  private readonly longPolls = new Set<() => void>();
  private nextId = 1;
  /** Fail the next N `/send` calls with this status (fault injection). */
  private faults: Array<{ status: number; retryAfterMs?: number }> = [];
  url = '';

  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.route(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w();
    for (const answer of [...this.longPolls]) answer();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** A network user posts a message (the test's side). */
  post(
    chatId: string,
    sender: LoopbackUser,
    text: string,
    extra: Partial<Pick<LoopbackMessage, 'rich' | 'style' | 'file' | 'replyTo'>> = {},
  ): LoopbackMessage {
    const message: LoopbackMessage = {
      id: `m${this.nextId++}`,
      chatId,
      sender,
      text,
      origin: 'network',
      reactions: [],
      edits: 0,
      ts: Date.now(),
      ...extra,
    };
    this.messagesById.set(message.id, message);
    this.append({ type: 'message', message, origin: 'network' });
    return message;
  }

  edit(messageId: string, sender: LoopbackUser, text: string, rich?: RichText): void {
    const m = this.mustGet(messageId);
    m.text = text;
    m.rich = rich;
    m.edits++;
    this.append({
      type: 'edit',
      chatId: m.chatId,
      messageId,
      sender,
      text,
      rich,
      editId: `${messageId}.e${m.edits}`,
      origin: 'network',
    });
  }

  delete(messageId: string, sender: LoopbackUser): void {
    const m = this.mustGet(messageId);
    m.deleted = true;
    this.append({ type: 'delete', chatId: m.chatId, messageId, sender, origin: 'network' });
  }

  react(messageId: string, sender: LoopbackUser, key: string): void {
    const m = this.mustGet(messageId);
    m.reactions.push({ user: sender.id, key });
    this.append({ type: 'reaction', chatId: m.chatId, messageId, sender, key, origin: 'network' });
  }

  unreact(messageId: string, sender: LoopbackUser, key: string): void {
    const m = this.mustGet(messageId);
    m.reactions = m.reactions.filter((r) => !(r.user === sender.id && r.key === key));
    this.append({ type: 'unreaction', chatId: m.chatId, messageId, sender, key, origin: 'network' });
  }

  /** Every message in a chat, oldest first (deleted ones included, flagged). */
  messages(chatId: string): LoopbackMessage[] {
    return [...this.messagesById.values()].filter((m) => m.chatId === chatId);
  }

  message(id: string): LoopbackMessage | undefined {
    return this.messagesById.get(id);
  }

  /** The event log (what the bridge did shows with `origin: 'bridge'`). */
  events(): readonly LoopbackEvent[] {
    return this.log;
  }

  /** Make the next `count` sends fail with `status` (429 carries `retryAfterMs`). */
  failNextSends(count: number, status: number, retryAfterMs?: number): void {
    for (let i = 0; i < count; i++) this.faults.push({ status, retryAfterMs });
  }

  /** Resolve when `predicate` holds for the event log, or reject after `timeoutMs`. */
  waitFor<T>(predicate: (net: LoopbackNetwork) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = predicate(this);
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`loopback network: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = () => void check();
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      if (!check()) this.waiters.add(waiter);
    });
  }

  private mustGet(id: string): LoopbackMessage {
    const m = this.messagesById.get(id);
    if (!m) throw new Error(`loopback network: no message ${id}`);
    return m;
  }

  private append(event: LoopbackEventBody): void {
    this.log.push({ ...event, seq: this.log.length + 1 });
    for (const w of [...this.waiters]) w();
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (req.method === 'GET' && url.pathname === '/events') {
        return json(
          res,
          200,
          await this.eventsAfter(
            Number(url.searchParams.get('after') ?? 0),
            Number(url.searchParams.get('wait') ?? 0),
          ),
        );
      }
      if (req.method === 'GET' && url.pathname.startsWith('/chats/')) {
        // Every chat exists; `team--general` is chat "general" of group "team" (like a Discord guild).
        const id = decodeURIComponent(url.pathname.slice(7));
        const group = id.includes('--') ? id.slice(0, id.indexOf('--')) : undefined;
        return json(res, 200, { id, name: `Loopback ${id}`, group });
      }
      if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
        const m = this.messagesById.get(decodeURIComponent(url.pathname.slice(7)));
        if (!m?.file) return json(res, 404, { error: 'no such file' });
        res.writeHead(200, { 'content-type': m.file.mimetype });
        return void res.end(Buffer.from(m.file.data, 'base64'));
      }
      if (req.method === 'POST' && url.pathname === '/send') {
        const fault = this.faults.shift();
        if (fault)
          return json(res, fault.status, { error: 'injected fault', retry_after_ms: fault.retryAfterMs });
        return json(res, 200, this.send(JSON.parse(await body(req)) as LoopbackSendRequest));
      }
      json(res, 404, { error: 'not found' });
    } catch (err) {
      json(res, 400, { error: (err as Error).message });
    }
  }

  private eventsAfter(after: number, waitMs: number): Promise<LoopbackEvent[]> {
    const ready = () => this.log.slice(after);
    if (ready().length || waitMs <= 0) return Promise.resolve(ready());
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(onAppend);
        this.longPolls.delete(done);
        resolve(ready());
      };
      const onAppend = () => {
        if (ready().length) done();
      };
      const timer = setTimeout(done, Math.min(waitMs, 30_000));
      this.waiters.add(onAppend);
      this.longPolls.add(done);
    });
  }

  /** Idempotent by nonce: the same nonce returns the first result and changes nothing. */
  private send(r: LoopbackSendRequest): { id: string } {
    const seen = this.nonces.get(r.nonce);
    if (seen) return { id: seen };
    let id = '';
    if (r.type === 'message') {
      const message: LoopbackMessage = {
        id: `m${this.nextId++}`,
        chatId: r.chatId,
        sender: r.sender,
        text: r.text,
        rich: r.rich,
        style: r.style,
        file: r.file,
        replyTo: r.replyTo,
        origin: 'bridge',
        reactions: [],
        edits: 0,
        ts: Date.now(),
      };
      this.messagesById.set(message.id, message);
      this.append({ type: 'message', message, origin: 'bridge' });
      id = message.id;
    } else if (r.type === 'edit') {
      const m = this.mustGet(r.messageId);
      Object.assign(m, { text: r.text, rich: r.rich, edits: m.edits + 1 });
      this.append({
        type: 'edit',
        chatId: m.chatId,
        messageId: m.id,
        sender: r.sender,
        text: r.text,
        rich: r.rich,
        editId: `${m.id}.e${m.edits}`,
        origin: 'bridge',
      });
    } else if (r.type === 'delete') {
      this.mustGet(r.messageId).deleted = true;
      this.append({
        type: 'delete',
        chatId: r.chatId,
        messageId: r.messageId,
        sender: r.sender,
        origin: 'bridge',
      });
    } else if (r.type === 'reaction') {
      this.mustGet(r.messageId).reactions.push({ user: r.sender.id, key: r.key });
      this.append({
        type: 'reaction',
        chatId: r.chatId,
        messageId: r.messageId,
        sender: r.sender,
        key: r.key,
        origin: 'bridge',
      });
      id = `${r.messageId}:${r.sender.id}:${r.key}`;
    } else {
      const m = this.mustGet(r.messageId);
      m.reactions = m.reactions.filter((x) => !(x.user === r.sender.id && x.key === r.key));
      this.append({
        type: 'unreaction',
        chatId: r.chatId,
        messageId: r.messageId,
        sender: r.sender,
        key: r.key,
        origin: 'bridge',
      });
    }
    this.nonces.set(r.nonce, id);
    return { id };
  }
}

function json(res: http.ServerResponse, status: number, data: unknown): void {
  const text = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function body(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
