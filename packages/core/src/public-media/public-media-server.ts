/**
 * Serves signed public media links ({@link PublicMediaLinks}) from the bridge's own HTTP listener:
 * checks the signature, fetches the file from the homeserver through the authenticated media API
 * (v1) with the appservice token, and streams it out with headers that stop a browser from running
 * anything in it (the same sandbox Synapse's media repository sets).
 */
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import type { Logger } from '../log/logger';
import type { PublicMediaLinks } from './public-media-links';

const SAFE_HEADERS = {
  'content-security-policy': "sandbox; default-src 'none'; script-src 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'cross-origin',
} as const;

export class PublicMediaServer {
  constructor(
    private readonly links: PublicMediaLinks,
    private readonly homeserverUrl: string,
    private readonly asToken: string,
    private readonly log: Logger,
  ) {}

  /** Answer a request under `/_trestle/media/`. Never throws. */
  async serve(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed');
    const media = this.links.verify(path);
    if (!media) return plain(res, 404, 'No such media');
    const base = this.homeserverUrl.replace(/\/+$/, '');
    const url = `${base}/_matrix/client/v1/media/download/${encodeURIComponent(media.server)}/${encodeURIComponent(media.mediaId)}`;
    try {
      const upstream = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${this.asToken}` },
      });
      if (upstream.statusCode !== 200) {
        await upstream.body.dump();
        return plain(res, upstream.statusCode === 404 ? 404 : 502, 'The homeserver did not give the media');
      }
      const type = header(upstream.headers['content-type']) ?? 'application/octet-stream';
      const length = header(upstream.headers['content-length']);
      const name = media.filename ? `; filename*=UTF-8''${encodeURIComponent(media.filename)}` : '';
      res.writeHead(200, {
        ...SAFE_HEADERS,
        'content-type': type,
        ...(length && { 'content-length': length }),
        'content-disposition': `${/^(image|video|audio|text\/plain)/.test(type) ? 'inline' : 'attachment'}${name}`,
        'cache-control': 'public, max-age=86400, immutable',
      });
      if (req.method === 'HEAD') {
        await upstream.body.dump();
        return void res.end();
      }
      await pipeline(upstream.body, res);
    } catch (err) {
      this.log.warn('public media not served', { media: `${media.server}/${media.mediaId}`, err });
      if (!res.headersSent) plain(res, 502, 'The homeserver did not give the media');
      else res.destroy();
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SAFE_HEADERS });
  res.end(text);
}
