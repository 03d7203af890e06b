/**
 * The HTTP side of the application service: the homeserver pushes transactions, user and alias queries
 * here. (`/health` and `/metrics` are served by the OpsServer on their own port.)
 *
 * Why our own listener instead of matrix-appservice's: that one answers a transaction with 200 as soon
 * as it has emitted the events, so a crash right after loses them, and it answers a missing body with 200.
 * Here a transaction is answered 200 only after `onTransaction` resolves, i.e. after the events are
 * journaled in the store; until then the homeserver keeps retrying, so nothing is lost.
 */
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../log/logger';
import { closeServer, listenOn } from '../ops/http-server';
import { PUBLIC_MEDIA_PATH } from '../public-media/public-media-links';
import type { PublicMediaServer } from '../public-media/public-media-server';

/** A client event as the homeserver sends it in a transaction. */
export interface RawMatrixEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  origin_server_ts?: number;
  state_key?: string;
  content: Record<string, unknown>;
  unsigned?: Record<string, unknown>;
  redacts?: string;
}

/** What the server calls; the bridge runtime implements it. */
export interface AppserviceHandlers {
  /** Journal the events; resolve only when they are durable. */
  onTransaction(txnId: string, events: RawMatrixEvent[], ephemeral: Record<string, unknown>[]): Promise<void>;
  /** Does this user (in our namespace) exist, or can we create it? */
  onUserQuery(userId: string): Promise<boolean>;
  /** Does this alias name a remote chat? If so, create the portal room with that alias before resolving true. */
  onAliasQuery(alias: string): Promise<boolean>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Serves the appservice API for one bridge. */
export class AppserviceServer {
  private server?: http.Server;
  private readonly hsToken: Buffer;

  constructor(
    hsToken: string,
    private readonly handlers: AppserviceHandlers,
    private readonly log: Logger,
    /** Signed public media links, when the admin enabled them (no hs_token: the signature is the check). */
    private readonly publicMedia?: PublicMediaServer,
  ) {
    this.hsToken = Buffer.from(hsToken);
  }

  /** Start listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer((req, res) => void this.route(req, res));
    server.keepAliveTimeout = 65_000;
    this.server = server;
    return listenOn(server, port, host);
  }

  /** Stop accepting requests; in-flight ones finish. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (this.publicMedia && path.startsWith(PUBLIC_MEDIA_PATH))
        return await this.publicMedia.serve(req, res, path);
      const m = /^\/_matrix\/app\/v1\/(transactions|users|rooms)\/([^/]+)$/.exec(path);
      const isPing = path === '/_matrix/app/v1/ping';
      if (!m && !isPing) throw new HttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
      this.authenticate(req, url);
      if (isPing) {
        if (req.method !== 'POST') throw new HttpError(405, 'M_UNRECOGNIZED', 'Method not allowed');
        return send(res, 200, {});
      }
      const [, kind, rawParam] = m!;
      const param = decodeURIComponent(rawParam!);
      if (kind === 'transactions') {
        if (req.method !== 'PUT') throw new HttpError(405, 'M_UNRECOGNIZED', 'Method not allowed');
        const body = await readJson(req);
        const { events, ephemeral } = parseTransaction(body);
        await this.handlers.onTransaction(param, events, ephemeral);
        return send(res, 200, {});
      }
      if (req.method !== 'GET') throw new HttpError(405, 'M_UNRECOGNIZED', 'Method not allowed');
      const exists =
        kind === 'users' ? await this.handlers.onUserQuery(param) : await this.handlers.onAliasQuery(param);
      if (!exists)
        throw new HttpError(404, 'M_NOT_FOUND', `${kind === 'users' ? 'User' : 'Alias'} not found`);
      return send(res, 200, {});
    } catch (err) {
      if (err instanceof HttpError)
        return send(res, err.status, { errcode: err.errcode, error: err.message });
      this.log.error('appservice request failed', { err, path: req.url?.split('?')[0] });
      return send(res, 500, { errcode: 'M_UNKNOWN', error: 'Internal error; the homeserver will retry' });
    }
  }

  private authenticate(req: http.IncomingMessage, url: URL): void {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('access_token');
    if (!token) throw new HttpError(401, 'M_UNAUTHORIZED', 'Missing hs_token');
    const given = Buffer.from(token);
    if (given.length !== this.hsToken.length || !timingSafeEqual(given, this.hsToken)) {
      throw new HttpError(403, 'M_FORBIDDEN', 'Bad hs_token');
    }
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'M_TOO_LARGE', 'Transaction too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'M_NOT_JSON', 'Transaction body is not JSON'));
      }
    });
  });
}

function parseTransaction(body: unknown): { events: RawMatrixEvent[]; ephemeral: Record<string, unknown>[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'M_BAD_JSON', 'Transaction body must be an object');
  }
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.events)) throw new HttpError(400, 'M_BAD_JSON', '"events" must be an array');
  for (const [i, ev] of b.events.entries()) {
    const e = ev as Partial<RawMatrixEvent> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.type !== 'string' ||
      typeof e.event_id !== 'string' ||
      typeof e.room_id !== 'string' ||
      typeof e.sender !== 'string'
    ) {
      throw new HttpError(400, 'M_BAD_JSON', `events[${i}] lacks type, event_id, room_id or sender`);
    }
    if (e.content === undefined || e.content === null) e.content = {};
  }
  const eph = b.ephemeral ?? b['de.sorunome.msc2409.ephemeral'] ?? [];
  return {
    events: b.events as RawMatrixEvent[],
    ephemeral: Array.isArray(eph) ? (eph as Record<string, unknown>[]) : [],
  };
}
