/**
 * The IRC side of the conformance suite: a real irc-framework user in the bridged channel. Posts are
 * rendered to mIRC codes with the bridge's own converter; what the relay bot says is parsed back
 * into the IR (`<Name> ` prefix removed) so scenarios can check formatting.
 */
import type { RichText } from '@trestle/core';
import { irToMircLines, mircToIr, stripMircFormatting } from '@trestle/irc';
import type { IrcLogEntry, IrcTestUser } from '@trestle/testkit';
import type {
  ObservedRemoteEvent,
  RemoteDriver,
  RemoteMessageRef,
  RemotePost,
} from '../../packages/testkit/src/conformance';

export class IrcConformanceDriver implements RemoteDriver {
  readonly chatId: string;

  constructor(
    private readonly user: IrcTestUser,
    private readonly network: string,
    private readonly channel: string,
    private readonly botNick: string,
  ) {
    this.chatId = `${network}/${channel.toLowerCase()}`;
  }

  portalAlias(): string {
    return `#irc_${this.network}_${this.channel}`;
  }

  async post(message: RemotePost): Promise<RemoteMessageRef> {
    const text = irToMircLines(message.body).join(' ');
    const id = await this.user.sendTagged(this.channel, text, {
      kind: message.kind === 'emote' ? 'action' : message.kind === 'notice' ? 'notice' : 'privmsg',
      tags: message.replyTo ? { '+draft/reply': message.replyTo } : {},
    });
    if (!id) throw new Error('the IRC server gave no msgid; the conformance suite needs IRCv3 msgid');
    return { id };
  }

  /** An IRCv3 client reaction: a TAGMSG carrying `+draft/react` on the message's msgid. */
  async react(messageId: string, key: string): Promise<void> {
    this.user.raw(`@+draft/react=${key};+draft/reply=${messageId} TAGMSG ${this.channel}`);
    return Promise.resolve();
  }

  async expectEvent(
    predicate: (event: ObservedRemoteEvent) => boolean,
    timeoutMs: number,
  ): Promise<ObservedRemoteEvent> {
    let match: ObservedRemoteEvent | undefined;
    await this.user.waitForMessage((entry) => {
      const observed = this.observe(entry);
      if (observed && predicate(observed)) match = observed;
      return match !== undefined;
    }, timeoutMs);
    return match!;
  }

  private observe(entry: IrcLogEntry): ObservedRemoteEvent | undefined {
    if (entry.type === 'tagmsg') return this.observeReaction(entry);
    const isMessage = entry.type === 'privmsg' || entry.type === 'action' || entry.type === 'notice';
    if (
      !isMessage ||
      entry.nick !== this.botNick ||
      entry.target?.toLowerCase() !== this.channel.toLowerCase()
    )
      return undefined;
    const raw = entry.message ?? '';
    const prefix = /^<([^>]+)> /.exec(raw);
    const body = prefix ? raw.slice(prefix[0].length) : raw;
    const rich: RichText = mircToIr(body);
    return {
      type: 'message',
      message: {
        id: entry.tags.msgid ?? '',
        kind: entry.type === 'action' ? 'emote' : entry.type === 'notice' ? 'notice' : 'text',
        text: stripMircFormatting(body),
        rich,
        ...(entry.tags['+draft/reply'] && { replyTo: entry.tags['+draft/reply'] }),
        attachments: [],
        ...(prefix && { senderName: prefix[1] }),
      },
    };
  }

  private observeReaction(entry: IrcLogEntry): ObservedRemoteEvent | undefined {
    const key = entry.tags['+draft/react'];
    const targetId = entry.tags['+draft/reply'];
    if (entry.nick !== this.botNick || !key || !targetId) return undefined;
    return { type: 'reaction', targetId, key };
  }
}
