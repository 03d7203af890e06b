/**
 * Reads a Bot API request's parameters from any of the encodings Telegram accepts — query string,
 * `application/json`, `application/x-www-form-urlencoded` and `multipart/form-data` (busboy) — and
 * coerces them on access, since form encodings carry every value (numbers, JSON objects) as a string.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { apiErrors, TelegramApiError } from './api-error';

/** A file part of a multipart upload. */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

/** Typed access to a request's parameters, answering Telegram's 400s for missing or malformed ones. */
export class RequestParams {
  constructor(
    private readonly values: Record<string, unknown>,
    readonly files: ReadonlyMap<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== '';
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw apiErrors.badRequest(`${name} is empty`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  /** Chat ids may be numbers or `@username`; the simulator resolves usernames to ids. */
  chatId(name = 'chat_id'): number | string {
    const value = this.values[name];
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
    if (typeof value === 'string' && value.startsWith('@')) return value;
    throw apiErrors.badRequest(`${name} is empty`);
  }

  integer(name: string): number {
    const value = this.optionalInteger(name);
    if (value === undefined) throw apiErrors.badRequest(`${name} is empty`);
    return value;
  }

  optionalInteger(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(number)) throw apiErrors.badRequest(`invalid ${name} specified`);
    return number;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** A JSON-typed parameter (entities, reply_parameters, media …), sent as an object or a JSON string. */
  json<T>(name: string): T | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw apiErrors.badRequest(`can't parse ${name} JSON object`);
    }
  }
}

/** Parse a request body (and query string) into {@link RequestParams}, refusing uploads over `maxUploadBytes`. */
export async function readRequestParams(
  req: IncomingMessage,
  url: URL,
  maxUploadBytes: number,
): Promise<RequestParams> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const { fields, files } = await readMultipart(req, maxUploadBytes);
    return new RequestParams({ ...values, ...fields }, files);
  }
  const body = await readBody(req, maxUploadBytes);
  if (body.length === 0) return new RequestParams(values);
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw apiErrors.badRequest("can't parse JSON");
    }
    return new RequestParams({ ...values, ...(parsed as Record<string, unknown>) });
  }
  return new RequestParams({ ...values, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) });
}

const tooLarge = () => new TelegramApiError(413, 'Request Entity Too Large');

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Plain stream events: an async iterator per request costs more than the small bodies it reads.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function readMultipart(
  req: IncomingMessage,
  limit: number,
): Promise<{ fields: Record<string, string>; files: Map<string, UploadedFile> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    let total = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume(); // drain so the client reads our answer instead of a reset
      reject(error);
    };
    const parser = busboy({ headers: req.headers, limits: { fileSize: limit + 1 } });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) fail(tooLarge());
        else chunks.push(chunk);
      });
      stream.on('end', () =>
        files.set(name, {
          filename: info.filename ?? name,
          mimetype: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    parser.on('error', (error: Error) => fail(error));
    parser.on('close', () => {
      if (!failed) resolve({ fields, files });
    });
    req.pipe(parser);
  });
}
