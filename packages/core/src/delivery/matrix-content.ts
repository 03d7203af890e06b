/**
 * Builds Matrix event content from the neutral {@link MessageContent}: rich text through the core's
 * Matrix HTML converter (mentions of remote users become pills of their ghosts, and intentional
 * `m.mentions`), media uploaded to the homeserver with captions as Matrix 1.10 expects.
 */
import type { MentionTarget, RichText } from '../format/ir';
import type { MessageContent, RemoteMedia } from '../model/events';
import { irIsPlain, irMapInlines, toMatrixContent } from '../format';
import type { Ghosts } from '../matrix/ghosts';
import type { MediaBridge } from '../matrix/media';

const mediaMsgtype = {
  image: 'm.image',
  video: 'm.video',
  audio: 'm.audio',
  voice: 'm.audio',
  file: 'm.file',
  sticker: 'm.image',
} as const;

export class MatrixContentBuilder {
  constructor(
    private readonly ghosts: Ghosts,
    private readonly media: MediaBridge,
  ) {}

  /** The event content, a fresh object each time (the caller may add to it, e.g. a relation). */
  async build(content: MessageContent): Promise<Record<string, unknown>> {
    switch (content.type) {
      case 'text':
        return this.text(content.body, `m.${content.msgtype}`);
      case 'location':
        return {
          msgtype: 'm.location',
          body: content.description ?? `Location: ${content.latitude}, ${content.longitude}`,
          geo_uri: `geo:${content.latitude},${content.longitude}`,
        };
      case 'media': {
        const mxc = await this.media.upload(content.source as RemoteMedia, content.name);
        const info: Record<string, unknown> = {};
        if (content.mimetype) info.mimetype = content.mimetype;
        if (content.size !== undefined) info.size = content.size;
        if (content.width !== undefined) info.w = content.width;
        if (content.height !== undefined) info.h = content.height;
        if (content.durationMs !== undefined) info.duration = content.durationMs;
        const base: Record<string, unknown> = { body: content.name, url: mxc, info };
        if (content.kind === 'sticker') return base;
        base.msgtype = mediaMsgtype[content.kind];
        if (content.kind === 'voice') base['org.matrix.msc3245.voice'] = {};
        if (content.caption) {
          // Matrix 1.10 media captions: `body` is the caption when `filename` is present.
          const caption = this.text(content.caption, 'm.text');
          Object.assign(base, { filename: content.name, body: caption.body });
          if (caption.formatted_body)
            Object.assign(base, { format: caption.format, formatted_body: caption.formatted_body });
        }
        return base;
      }
    }
  }

  private text(body: RichText, msgtype: string): Record<string, unknown> {
    // Plain text (most messages) has no mentions to resolve: no copy of the IR is needed.
    if (irIsPlain(body)) return { ...toMatrixContent(body, msgtype), 'm.mentions': {} };
    const mentioned = new Set<string>();
    let room = false;
    const resolved = irMapInlines(body, (inline) => {
      if (inline.type !== 'mention') return inline;
      const target = this.resolveTarget(inline.target);
      if (target.kind === 'user' && target.matrixId) mentioned.add(target.matrixId);
      if (target.kind === 'everyone') room = true;
      return { ...inline, target };
    });
    const content: Record<string, unknown> = { ...toMatrixContent(resolved, msgtype) };
    content['m.mentions'] = {
      ...(mentioned.size ? { user_ids: [...mentioned] } : {}),
      ...(room ? { room: true } : {}),
    };
    return content;
  }

  private resolveTarget(target: MentionTarget): MentionTarget {
    if (target.kind === 'user' && !target.matrixId && target.remoteId) {
      return { ...target, matrixId: this.ghosts.userIdFor(target.remoteId) };
    }
    return target;
  }
}
