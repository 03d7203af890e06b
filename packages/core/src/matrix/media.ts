/**
 * Media between the two sides: remote files are uploaded to the homeserver once per cache key;
 * Matrix files are downloaded through the authenticated media API with the appservice token.
 */
import type { MatrixMedia, RemoteMedia } from '../model/events';
import type { KeyValueStore } from '../store/store';
import type { MatrixApi } from './matrix-api';

const CACHE_NAMESPACE = 'core.media';

export class MediaBridge {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly api: MatrixApi,
    private readonly kv: KeyValueStore,
  ) {}

  /** The mxc URI for a remote file, uploading it the first time its key is seen. */
  upload(media: RemoteMedia, filename?: string): Promise<string> {
    const existing = this.inFlight.get(media.key);
    if (existing) return existing;
    const job = (async () => {
      const cached = await this.kv.get<string>(CACHE_NAMESPACE, media.key);
      if (cached) return cached;
      const data = await media.fetch();
      const mxc = await this.api.upload(data, media.mimetype ?? 'application/octet-stream', filename);
      await this.kv.set(CACHE_NAMESPACE, media.key, mxc);
      return mxc;
    })().finally(() => this.inFlight.delete(media.key));
    this.inFlight.set(media.key, job);
    return job;
  }

  /** A handle a connector can fetch a Matrix file through. */
  fromMatrix(mxc: string): MatrixMedia {
    return { mxc, fetch: () => this.api.download(mxc) };
  }
}
