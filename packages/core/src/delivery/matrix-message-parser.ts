/**
 * Reads Matrix `m.room.message` / `m.sticker` content into the neutral {@link MessageContent}:
 * formatted bodies through the core's HTML converter (reply fallbacks stripped), media as handles the
 * connector fetches through the authenticated media API.
 */
import type { MediaKind, MessageContent } from '../model/events';
import { matrixHtmlToIr, plainTextToIr } from '../format';
import type { MediaBridge } from '../matrix/media';

const mediaKinds: Record<string, MediaKind> = {
  'm.image': 'image',
  'm.video': 'video',
  'm.audio': 'audio',
  'm.file': 'file',
};

/** Parse message content; undefined for content that cannot be bridged (unknown msgtype without body). */
export function parseMatrixMessage(
  type: string,
  content: Record<string, unknown>,
  media: MediaBridge,
): MessageContent | undefined {
  const msgtype = type === 'm.sticker' ? 'm.sticker' : String(content.msgtype ?? '');
  const body = typeof content.body === 'string' ? content.body : '';
  const info = (content.info ?? {}) as Record<string, unknown>;
  if (msgtype === 'm.sticker' || mediaKinds[msgtype]) {
    if (typeof content.url !== 'string') return undefined;
    const filename = typeof content.filename === 'string' ? content.filename : undefined;
    const hasCaption = filename !== undefined && filename !== body;
    const kind: MediaKind =
      msgtype === 'm.sticker'
        ? 'sticker'
        : content['org.matrix.msc3245.voice']
          ? 'voice'
          : mediaKinds[msgtype]!;
    return {
      type: 'media',
      kind,
      name: filename ?? (body || 'file'),
      mimetype: typeof info.mimetype === 'string' ? info.mimetype : undefined,
      size: typeof info.size === 'number' ? info.size : undefined,
      width: typeof info.w === 'number' ? info.w : undefined,
      height: typeof info.h === 'number' ? info.h : undefined,
      durationMs: typeof info.duration === 'number' ? info.duration : undefined,
      caption: hasCaption ? richBody(content, body) : undefined,
      source: media.fromMatrix(content.url),
    };
  }
  if (msgtype === 'm.location' && typeof content.geo_uri === 'string') {
    const m = /^geo:(-?[\d.]+),(-?[\d.]+)/.exec(content.geo_uri);
    if (m)
      return {
        type: 'location',
        latitude: Number(m[1]),
        longitude: Number(m[2]),
        description: body || undefined,
      };
  }
  if (!body) return undefined;
  const kind = msgtype === 'm.emote' ? 'emote' : msgtype === 'm.notice' ? 'notice' : 'text';
  return { type: 'text', msgtype: kind, body: richBody(content, body) };
}

function richBody(content: Record<string, unknown>, body: string) {
  const isReply = Boolean(
    (content['m.relates_to'] as Record<string, unknown> | undefined)?.['m.in_reply_to'],
  );
  if (content.format === 'org.matrix.custom.html' && typeof content.formatted_body === 'string') {
    return matrixHtmlToIr(content.formatted_body);
  }
  return plainTextToIr(body, { stripReplyFallback: isReply });
}
