/**
 * Turning an upload (multipart file, `attach://` reference, existing `file_id` or http URL) into a
 * stored file and the Telegram media object (PhotoSize[], Document, Video …) a message carries.
 */
import type { Animation, Audio, Document, PhotoSize, Sticker, Video, Voice } from 'telegraf/types';
import { apiErrors } from './api-error';
import type { RequestParams } from './request-params';
import type { StoredFile } from './sim-state';
import type { SimWorld } from './sim-world';

export type MediaKind = 'photo' | 'document' | 'video' | 'animation' | 'voice' | 'audio' | 'sticker';

const folders: Record<MediaKind, string> = {
  photo: 'photos',
  document: 'documents',
  video: 'videos',
  animation: 'animations',
  voice: 'voice',
  audio: 'music',
  sticker: 'stickers',
};

const mimeByExtension: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
};

/** The declared mimetype, or one guessed from the file name's extension. */
export function guessMimetype(filename: string, declared: string): string {
  if (declared && declared !== 'application/octet-stream') return declared;
  const extension = filename.split('.').pop()?.toLowerCase() ?? '';
  return mimeByExtension[extension] ?? 'application/octet-stream';
}

/** Resolve a media parameter value (`reference`) to a stored file. */
export async function resolveUpload(
  world: SimWorld,
  params: RequestParams,
  reference: string | undefined,
  fieldName: string | undefined,
  kind: MediaKind,
): Promise<StoredFile> {
  const uploaded =
    (fieldName === undefined ? undefined : params.files.get(fieldName)) ??
    (reference?.startsWith('attach://') ? params.files.get(reference.slice(9)) : undefined);
  if (uploaded) {
    return world.state.addFile(
      uploaded.data,
      guessMimetype(uploaded.filename, uploaded.mimetype),
      uploaded.filename,
      folders[kind],
    );
  }
  if (reference === undefined || reference === '')
    throw apiErrors.badRequest(`there is no ${kind} in the request`);
  if (/^https?:\/\//.test(reference)) {
    const response = await fetch(reference).catch(() => undefined);
    if (!response?.ok) throw apiErrors.badRequest('wrong file identifier/HTTP URL specified');
    const data = Buffer.from(await response.arrayBuffer());
    const filename = new URL(reference).pathname.split('/').pop() || 'file';
    return world.state.addFile(
      data,
      guessMimetype(filename, response.headers.get('content-type') ?? ''),
      filename,
      folders[kind],
    );
  }
  if (!world.state.files.has(reference))
    throw apiErrors.badRequest('wrong file identifier/HTTP URL specified');
  return world.state.file(reference);
}

/** Width and height from a PNG header; other formats report the dimensions the sender gave (or 0). */
function imageSize(data: Buffer): { width: number; height: number } | undefined {
  const isPng = data.length >= 24 && data.readUInt32BE(0) === 0x89504e47;
  return isPng ? { width: data.readUInt32BE(16), height: data.readUInt32BE(20) } : undefined;
}

/** The message fields for one media kind, e.g. `{ photo: [...] }` or `{ animation, document }`. */
export function mediaFields(
  kind: MediaKind,
  file: StoredFile,
  params: RequestParams,
): Record<string, PhotoSize[] | Document | Video | Animation | Voice | Audio | Sticker> {
  const ids = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.data.length };
  const size = imageSize(file.data) ?? {
    width: params.optionalInteger('width') ?? 0,
    height: params.optionalInteger('height') ?? 0,
  };
  const duration = params.optionalInteger('duration') ?? 0;
  const named = { file_name: file.filename, mime_type: file.mimetype };
  switch (kind) {
    case 'photo':
      return { photo: [{ ...ids, ...size }] };
    case 'document':
      return { document: { ...ids, ...named } };
    case 'video':
      return { video: { ...ids, ...size, duration, ...named } };
    case 'animation':
      // Telegram also sends animations as `document` for clients that predate animations.
      return { animation: { ...ids, ...size, duration, ...named }, document: { ...ids, ...named } };
    case 'voice':
      return { voice: { ...ids, duration, mime_type: file.mimetype } };
    case 'audio': {
      const title = params.optionalString('title');
      const performer = params.optionalString('performer');
      return {
        audio: {
          ...ids,
          duration,
          ...named,
          ...(title ? { title } : {}),
          ...(performer ? { performer } : {}),
        },
      };
    }
    case 'sticker': {
      const emoji = params.optionalString('emoji');
      return {
        sticker: {
          ...ids,
          type: 'regular',
          width: size.width || 512,
          height: size.height || 512,
          is_animated: false,
          is_video: file.mimetype === 'video/webm',
          ...(emoji ? { emoji } : {}),
        },
      };
    }
  }
}
