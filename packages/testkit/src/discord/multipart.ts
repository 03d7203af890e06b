/** Reads a REST request body: JSON, or multipart with `payload_json` and `files[n]` as discord.js sends it. */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { UploadedFile } from './actions';
import { invalidFormBody } from './errors';

export interface ParsedBody {
  json: Record<string, unknown>;
  /** Uploaded files by their `files[n]` index. */
  files: Map<number, UploadedFile>;
}

export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return readMultipart(req);
  const raw = await readAll(req);
  if (raw.length === 0) return { json: {}, files: new Map() };
  try {
    return { json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: new Map() };
  } catch {
    throw invalidFormBody('body is not valid JSON');
  }
}

function readMultipart(req: IncomingMessage): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    const files = new Map<number, UploadedFile>();
    let json: Record<string, unknown> = {};
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      if (name !== 'payload_json') return;
      try {
        json = JSON.parse(value) as Record<string, unknown>;
      } catch {
        reject(invalidFormBody('payload_json is not valid JSON'));
      }
    });
    parser.on('file', (name, stream, info) => {
      const index = /^files\[(\d+)\]$/.exec(name)?.[1];
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (index === undefined) return;
        files.set(Number(index), {
          filename: info.filename ?? `file${index}`,
          data: Buffer.concat(chunks),
          contentType: info.mimeType === 'application/octet-stream' ? undefined : info.mimeType,
        });
      });
    });
    parser.on('error', reject);
    parser.on('close', () => resolve({ json, files }));
    req.pipe(parser);
  });
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
