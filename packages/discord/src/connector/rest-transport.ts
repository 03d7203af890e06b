/**
 * discord.js's REST transport (`rest.makeRequest`, a documented option of @discordjs/rest) on the core's
 * {@link JsonHttpClient}, for requests to the API with a plain body.
 *
 * Why: in the Discord bench, undici's `request()` as @discordjs/rest uses it (a Readable body, every header
 * parsed into a fetch `Headers`, per request) was ~20 % of the bridge's CPU per Matrix message. This
 * transport reads each answer into one buffer and hands @discordjs/rest the same `ResponseLike` it reads
 * rate limits and errors from, so its rate-limit queues, retries and error classes are unchanged. Uploads
 * (multipart `FormData`) and other origins go through the default transport.
 */
import { JsonHttpClient } from '@trestle/core';
import { DefaultRestOptions, type RESTOptions, type ResponseLike } from 'discord.js';
import { STATUS_CODES } from 'node:http';

type MakeRequest = RESTOptions['makeRequest'];

/** A `makeRequest` for a client whose API lives at `apiUrl` (e.g. `https://discord.com/api`). */
export function pooledRestTransport(apiUrl: string): {
  makeRequest: MakeRequest;
  /** The pooled client itself, for callers that post to the API beside discord.js (see webhook-poster.ts). */
  http: JsonHttpClient;
  close: () => Promise<void>;
} {
  const origin = new URL(apiUrl).origin;
  const client = new JsonHttpClient(origin);
  const makeRequest: MakeRequest = async (url, init) => {
    const body = init.body ?? undefined;
    const plainBody = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    if (!plainBody || !url.startsWith(`${origin}/`)) return DefaultRestOptions.makeRequest(url, init);
    const res = await client.request({
      method: init.method ?? 'GET',
      path: url.slice(origin.length),
      headers: init.headers as Record<string, string>,
      body,
      signal: init.signal ?? undefined,
    });
    return bufferedResponse(res.status, res.headers, res.body);
  };
  return { makeRequest, http: client, close: () => client.close() };
}

/** What @discordjs/rest reads of a response: status, headers (`get`/`has`), and the body once. */
function bufferedResponse(status: number, headers: Map<string, string>, body: Buffer): ResponseLike {
  let used = false;
  const take = () => {
    used = true;
    return body;
  };
  return {
    status,
    statusText: STATUS_CODES[status] ?? '',
    ok: status >= 200 && status < 300,
    headers: {
      get: (name: string) => headers.get(name.toLowerCase()) ?? null,
      has: (name: string) => headers.has(name.toLowerCase()),
    } as ResponseLike['headers'],
    get bodyUsed() {
      return used;
    },
    arrayBuffer: async () => {
      const bytes = take();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    json: async () => JSON.parse(take().toString('utf8')) as unknown,
    text: async () => take().toString('utf8'),
    body: null,
  };
}
