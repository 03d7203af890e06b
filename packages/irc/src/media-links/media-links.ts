/**
 * What IRC people cannot receive inline, given as a link instead (when the admin enabled the core's
 * public media): a Matrix message longer than `maxLinesPerMessage` IRC lines (long text, code blocks)
 * is uploaded as a `.txt` file and announced as `* Alice posted a long message: <url>`, and Matrix
 * images and files get their link after the name (`[image: cat.png] <url>`). Without public media,
 * long messages are cut with a visible "(… N more lines not shown)" and files are named only.
 */
import {
  irToPlainText,
  type ConnectorMedia,
  type Logger,
  type MatrixSideEvent,
  type MessageContent,
  type RichText,
} from '@trestle/core';
import { messageByteBudget } from '../format';
import { messageLines } from '../outbound/message-lines';

type MessageEvent = Extract<MatrixSideEvent, { kind: 'message' }>;

/** How many IRC lines the message would take, uncut (`<name> ` room left for relayed senders). */
export function ircLineCount(content: MessageContent, target: string, senderName?: string): number {
  return messageLines({
    senderName,
    content,
    budget: (kind) =>
      messageByteBudget({
        command: kind === 'notice' ? 'NOTICE' : 'PRIVMSG',
        target,
        action: kind === 'action',
      }),
    maxLines: Number.MAX_SAFE_INTEGER,
  }).lines.length;
}

const paragraph = (text: string): RichText => ({
  blocks: [{ type: 'paragraph', children: [{ type: 'text', text }] }],
});

export class MediaLinks {
  constructor(
    private readonly media: ConnectorMedia | undefined,
    private readonly log: Logger,
  ) {}

  /** The event as IRC should get it: unchanged, or with links in place of what does not fit. */
  async prepare(event: MatrixSideEvent, target: string, maxLines: number): Promise<MatrixSideEvent> {
    if (event.kind !== 'message' || !this.media) return event;
    const { content } = event;
    if (content.type === 'media' && 'mxc' in content.source) {
      const url = this.media.publicUrl(content.source.mxc, content.name);
      if (!url) return event;
      const caption = content.caption ? ` ${irToPlainText(content.caption)}` : '';
      return this.withText(event, 'text', `[${content.kind}: ${content.name}] ${url}${caption}`);
    }
    if (content.type !== 'text') return event;
    if (ircLineCount(content, target, event.sender.displayName) <= maxLines) return event;
    return this.linkLongText(event, content.body);
  }

  private async linkLongText(event: MessageEvent, body: RichText): Promise<MatrixSideEvent> {
    try {
      const text = irToPlainText(body);
      const mxc = await this.media!.upload(
        Buffer.from(text, 'utf8'),
        'text/plain; charset=utf-8',
        'message.txt',
      );
      const url = this.media!.publicUrl(mxc, 'message.txt');
      if (!url) return event;
      return this.withText(event, 'emote', `posted a long message: ${url}`);
    } catch (err) {
      // The message still reaches IRC, cut to the line limit as without public media.
      this.log.warn('long message not uploaded; sending it cut', { event: event.eventId, err });
      return event;
    }
  }

  private withText(event: MessageEvent, msgtype: 'text' | 'emote', text: string): MatrixSideEvent {
    return { ...event, content: { type: 'text', msgtype, body: paragraph(text) } };
  }
}
