/**
 * Signed public links to Matrix media, for people on networks without Matrix accounts (an IRC user
 * opening a picture or a long message). Modelled on mautrix-go bridgev2's `public_media`: the link is
 * `<external_url>/_trestle/media/<server>/<mediaId>/<signature>[/<filename>]`, where the signature is
 * an HMAC-SHA256 of the server and media id under the admin's signing key. Only links the bridge made
 * verify, so the listener cannot be used to fetch arbitrary media from the homeserver.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Path prefix the bridge's HTTP listener serves public media under. */
export const PUBLIC_MEDIA_PATH = '/_trestle/media/';

/** Bytes of the HMAC kept in links (128 bits: unguessable, and short enough for an IRC line). */
const SIGNATURE_BYTES = 16;

/** A request path under {@link PUBLIC_MEDIA_PATH}, split. */
export interface PublicMediaRequest {
  server: string;
  mediaId: string;
  signature: string;
  filename?: string;
}

export class PublicMediaLinks {
  private readonly baseUrl: string;

  /**
   * @param externalUrl where the bridge's listener is reachable from the internet (e.g. behind a
   *   reverse proxy), without a trailing slash
   * @param signingKey the admin's secret; changing it invalidates every link given out
   */
  constructor(
    externalUrl: string,
    private readonly signingKey: string,
  ) {
    this.baseUrl = externalUrl.replace(/\/+$/, '');
  }

  /** The public link for an `mxc://server/mediaId` URI; undefined for anything else. */
  urlFor(mxc: string, filename?: string): string | undefined {
    const m = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(mxc);
    if (!m) return undefined;
    const [, server, mediaId] = m as unknown as [string, string, string];
    const name = filename ? `/${encodeURIComponent(filename.replace(/[/\\]/g, '_'))}` : '';
    return `${this.baseUrl}${PUBLIC_MEDIA_PATH}${encodeURIComponent(server)}/${mediaId}/${this.sign(server, mediaId)}${name}`;
  }

  /** The parts of a request path, when its signature is one this bridge made; undefined otherwise. */
  verify(path: string): PublicMediaRequest | undefined {
    if (!path.startsWith(PUBLIC_MEDIA_PATH)) return undefined;
    const parts = path.slice(PUBLIC_MEDIA_PATH.length).split('/');
    if (parts.length < 3 || parts.length > 4) return undefined;
    let decoded: string[];
    try {
      decoded = parts.map((p) => decodeURIComponent(p));
    } catch {
      return undefined;
    }
    const [server, mediaId, signature, filename] = decoded as [string, string, string, string?];
    if (!server || !/^[A-Za-z0-9_-]+$/.test(mediaId)) return undefined;
    const expected = Buffer.from(this.sign(server, mediaId));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { server, mediaId, signature, ...(filename && { filename }) };
  }

  private sign(server: string, mediaId: string): string {
    return createHmac('sha256', this.signingKey)
      .update(`${server}/${mediaId}`)
      .digest()
      .subarray(0, SIGNATURE_BYTES)
      .toString('base64url');
  }
}
