/**
 * The conformance suite's Discord side: a Discord member who posts through the simulator's user
 * driver, and an observer that watches the channel's state the way a Discord client would see it
 * (webhook messages, their edits and deletions, the bot's reactions).
 *
 * Markdown is written and read here with a deliberately small, independent reader (bold, italic,
 * reply links), so the bridge's own converter is never used to judge itself.
 */
import type { Inline, RichText } from '@trestle/core';
import type {
  ObservedRemoteEvent,
  ObservedRemoteMessage,
  RemoteAttachment,
  RemoteDriver,
  RemoteMessageRef,
  RemotePost,
} from '../../packages/testkit/src/conformance';
import type { DiscordMessageRecord, DiscordSimulator } from '@trestle/testkit';

const POLL_MS = 25;

export class DiscordRemoteDriver implements RemoteDriver {
  private readonly events: ObservedRemoteEvent[] = [];
  private readonly known = new Map<string, string | null>();
  private readonly reacted = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sim: DiscordSimulator,
    readonly chatId: string,
    private readonly userId: string,
    private readonly alias: string,
  ) {
    this.timer = setInterval(() => this.observe(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  portalAlias(): string {
    return this.alias;
  }

  async post(message: RemotePost): Promise<RemoteMessageRef> {
    const sent = this.sim
      .asUser(this.userId)
      .send(this.chatId, toMarkdown(message.body), message.replyTo ? { reply: message.replyTo } : {});
    return { id: sent.id };
  }

  async postImage(image: RemoteAttachment): Promise<RemoteMessageRef> {
    const sent = this.sim.asUser(this.userId).send(this.chatId, '', {
      attachments: [{ name: image.name, data: image.data, contentType: image.mimetype }],
    });
    return { id: sent.id };
  }

  async edit(messageId: string, message: RemotePost): Promise<void> {
    this.sim.asUser(this.userId).edit(this.chatId, messageId, toMarkdown(message.body));
  }

  async delete(messageId: string): Promise<void> {
    this.sim.asUser(this.userId).delete(this.chatId, messageId);
  }

  async react(messageId: string, key: string): Promise<void> {
    this.sim.asUser(this.userId).react(this.chatId, messageId, key);
  }

  async expectEvent(
    predicate: (event: ObservedRemoteEvent) => boolean,
    timeoutMs: number,
  ): Promise<ObservedRemoteEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.observe();
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.events.map((e) => JSON.stringify(e, (k, v) => (k === 'data' ? '<bytes>' : v)));
        throw new Error(`No matching Discord event within ${timeoutMs} ms; seen:\n${seen.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Turn what changed in the channel since the last look into observed events. */
  private observe(): void {
    const present = new Set<string>();
    for (const m of this.sim.messages(this.chatId)) {
      present.add(m.id);
      for (const r of m.reactions) {
        const key = `${m.id}/${r.emoji.name}`;
        if (r.userIds.includes(this.sim.botUserId) && !this.reacted.has(key)) {
          this.reacted.add(key);
          this.events.push({ type: 'reaction', targetId: m.id, key: r.emoji.name });
        }
      }
      if (!m.webhook) continue;
      const previous = this.known.get(m.id);
      if (previous === undefined) this.events.push({ type: 'message', message: observed(m) });
      else if (m.editedTimestamp !== previous)
        this.events.push({ type: 'edit', targetId: m.id, message: observed(m) });
      this.known.set(m.id, m.editedTimestamp);
    }
    for (const id of this.known.keys()) {
      if (present.has(id)) continue;
      this.known.delete(id);
      this.events.push({ type: 'delete', targetId: id });
    }
  }
}

function observed(m: DiscordMessageRecord): ObservedRemoteMessage {
  const replyLink = /\(https?:\/\/[^)]*\/channels\/\d+\/\d+\/(\d+)\)/.exec(m.content);
  const rich = fromMarkdown(m.content);
  const whole = m.content.trim();
  const emote = /^\*[^*].*\*$/s.test(whole) || /^_[^_].*_$/s.test(whole);
  return {
    id: m.id,
    kind: emote ? 'emote' : 'text',
    text: plain(rich),
    rich,
    ...(replyLink ? { replyTo: replyLink[1]! } : {}),
    attachments: m.attachments.map((a) => ({
      name: a.filename,
      data: a.data,
      ...(a.contentType ? { mimetype: a.contentType } : {}),
    })),
    ...(m.webhook ? { senderName: m.webhook.username } : {}),
  };
}

function toMarkdown(ir: RichText): string {
  const inline = (nodes: Inline[]): string =>
    nodes
      .map((n) => {
        if (n.type === 'text') return n.text;
        if (n.type === 'bold') return `**${inline(n.children)}**`;
        if (n.type === 'italic') return `*${inline(n.children)}*`;
        return 'children' in n ? inline(n.children) : '';
      })
      .join('');
  return ir.blocks.map((b) => (b.type === 'paragraph' ? inline(b.children) : '')).join('\n');
}

/** Bold (`**`) and italic (`*`, `_`) runs per line; everything else is text. */
function fromMarkdown(markdown: string): RichText {
  return {
    blocks: markdown.split('\n').map((line) => {
      const children: Inline[] = [];
      const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_/g;
      let last = 0;
      for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
        if (m.index > last) children.push({ type: 'text', text: line.slice(last, m.index) });
        const text = m[1] ?? m[2] ?? m[3]!;
        children.push({ type: m[1] ? 'bold' : 'italic', children: [{ type: 'text', text }] });
        last = m.index + m[0].length;
      }
      if (last < line.length) children.push({ type: 'text', text: line.slice(last) });
      return { type: 'paragraph' as const, children };
    }),
  };
}

function plain(ir: RichText): string {
  const inline = (nodes: Inline[]): string =>
    nodes.map((n) => (n.type === 'text' ? n.text : 'children' in n ? inline(n.children) : '')).join('');
  return ir.blocks.map((b) => (b.type === 'paragraph' ? inline(b.children) : '')).join('\n');
}
