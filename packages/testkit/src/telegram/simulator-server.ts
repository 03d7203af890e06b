/**
 * The HTTP face of the simulator: `/bot<token>/<method>` for Bot API calls and
 * `/file/bot<token>/<file_path>` for downloads, on loopback, answering in Telegram's envelopes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrors, TelegramApiError } from './api-error';
import { chatInfoMethods } from './chat-info-methods';
import { chatMethods } from './chat-methods';
import { forumMethods } from './forum-methods';
import type { FloodLimits } from './flood-limits';
import { mediaMethods } from './media-methods';
import { messageMethods } from './message-methods';
import type { MethodHandler } from './method-support';
import { readRequestParams } from './request-params';
import type { SimWorld } from './sim-world';

const methods: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries({
    ...chatMethods,
    ...chatInfoMethods,
    ...messageMethods,
    ...mediaMethods,
    ...forumMethods,
  }).map(([name, handler]) => [name.toLowerCase(), handler]),
);

/** A scripted failure for the next call of a method (see TelegramSimulator.failNext). */
export interface InjectedFault {
  method: string;
  error: TelegramApiError;
}

/** One Bot API call as the simulator saw it, for assertions. */
export interface RecordedCall {
  method: string;
  ok: boolean;
  errorCode?: number;
}

export class SimulatorServer {
  private readonly server: Server;
  readonly faults: InjectedFault[] = [];
  readonly calls: RecordedCall[] = [];

  constructor(
    private readonly world: SimWorld,
    private readonly token: string,
    private readonly floodLimits?: FloodLimits,
  ) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => respondError(res, toApiError(error)));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.world.queue.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) return this.serveFile(res, fileMatch[1]!, decodeURIComponent(fileMatch[2]!));
    const apiMatch = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!apiMatch) return respondError(res, apiErrors.notFound());
    const [, token, method] = apiMatch as unknown as [string, string, string];
    if (token !== this.token) return respondError(res, apiErrors.unauthorized());
    const handler = methods.get(method.toLowerCase());
    if (!handler) return respondError(res, apiErrors.notFound());
    const hangUp = new AbortController();
    // Only a client that hangs up early (a long poll given up) aborts; an answered request just closes.
    res.on('close', () => {
      if (!res.writableFinished) hangUp.abort();
    });
    try {
      const params = await readRequestParams(req, url, this.world.options.limits.uploadBytes);
      this.takeFault(method);
      if (this.floodLimits && params.has('chat_id')) this.floodLimits.take(method, params.chatId());
      const result = await handler(this.world, params, hangUp.signal);
      this.calls.push({ method, ok: true });
      if (!res.writableEnded && !hangUp.signal.aborted) respondJson(res, 200, { ok: true, result });
    } catch (error) {
      const apiError = toApiError(error);
      this.calls.push({ method, ok: false, errorCode: apiError.code });
      respondError(res, apiError);
    }
  }

  private takeFault(method: string): void {
    const index = this.faults.findIndex((f) => f.method.toLowerCase() === method.toLowerCase());
    if (index < 0) return;
    const [fault] = this.faults.splice(index, 1);
    throw fault!.error;
  }

  private serveFile(res: ServerResponse, token: string, filePath: string): void {
    if (token !== this.token) return respondError(res, apiErrors.unauthorized());
    const file = this.world.state.filesByPath.get(filePath);
    if (!file) return respondError(res, apiErrors.notFound());
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.data.length });
    res.end(file.data);
  }
}

function toApiError(error: unknown): TelegramApiError {
  if (error instanceof TelegramApiError) return error;
  return new TelegramApiError(
    500,
    `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
  );
}

function respondJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function respondError(res: ServerResponse, error: TelegramApiError): void {
  if (res.headersSent || res.writableEnded) return;
  respondJson(res, error.code, error.toBody());
}
