/**
 * Turns what a network connection saw into the core's {@link RemoteEvent}s: messages with IR from
 * mIRC codes and the IRC timestamp, membership, topics, and nick changes as profile updates.
 *
 * Ghost identity: a nick is a ghost `<network>/<nick>`. Within one connection session a nick change
 * keeps the ghost (so Matrix sees a display-name change, not a leave and a join); a nick first seen
 * under a new name after a restart is a new ghost, because IRC has no stable user id to know better.
 */
import { randomUUID } from 'node:crypto';
import type { MentionTarget, RemoteEvent, RemoteUser } from '@trestle/core';
import { linkMentions, mircToIr, stripMircFormatting } from './format';
import { chatIdFor, ghostIdFor, isChannelName, privateChatIdFor } from './ids';
import type { IrcInbound } from './network/inbound';
import type { IrcConnection } from './network/irc-connection';
import type { RecentMessages } from './recent-messages';

export class InboundMapper {
  /** Folded current nick -> ghost id, for the lifetime of the connection. */
  private readonly ghostByNick = new Map<string, string>();

  /**
   * @param matrixUserFor the Matrix user behind a folded nick or relayed name, if the bridge speaks
   *   for one under it (so IRC people addressing them notify them on Matrix).
   * @param isBridgedNick true for nicks of Matrix users' virtual users: what they do on IRC came
   *   from Matrix and is not bridged back (the echo-loop guard).
   */
  constructor(
    private readonly bot: IrcConnection,
    private readonly recent: RecentMessages,
    private readonly matrixUserFor: (foldedName: string) => string | undefined = () => undefined,
    private readonly isBridgedNick: (nick: string) => boolean = () => false,
  ) {}

  private get network(): string {
    return this.bot.config.name;
  }

  user(nick: string): RemoteUser {
    const folded = this.bot.fold(nick);
    let id = this.ghostByNick.get(folded);
    if (!id) this.ghostByNick.set(folded, (id = ghostIdFor(this.network, folded)));
    return { id, displayName: nick };
  }

  chatIdFor(target: string): string {
    return chatIdFor(this.network, this.bot.fold(target));
  }

  private withMentions(text: string, channel: string | undefined) {
    const members = channel ? this.bot.roster.get(channel)?.members : undefined;
    return linkMentions(mircToIr(text), (word): MentionTarget | undefined => {
      const folded = this.bot.fold(word);
      const matrixId = this.matrixUserFor(folded);
      if (matrixId) return { kind: 'user', matrixId };
      if (members?.has(folded) && folded !== this.bot.fold(this.bot.nick)) {
        return { kind: 'user', remoteId: this.user(word).id };
      }
      return undefined;
    });
  }

  /**
   * @param privateOwner for a private message to a virtual user: the Matrix user it belongs to.
   */
  map(event: IrcInbound, privateOwner?: string): RemoteEvent[] {
    if (this.fromMatrix(event)) return [];
    switch (event.kind) {
      case 'message': {
        const isChannel = isChannelName(event.target, this.bot.chanTypes);
        const chatId = this.chatOf(event, privateOwner);
        const id = event.msgid ?? `${event.time ?? Date.now()}-${randomUUID()}`;
        this.recent.remember(id, { nick: event.nick, text: stripMircFormatting(event.text) });
        const msgtype = event.type === 'action' ? 'emote' : event.type === 'notice' ? 'notice' : 'text';
        return [
          {
            kind: 'message',
            chatId,
            id,
            sender: this.user(event.nick),
            parts: [
              {
                type: 'text',
                msgtype,
                body: this.withMentions(event.text, isChannel ? event.target : undefined),
              },
            ],
            timestamp: event.time ?? Date.now(),
            ...(event.replyTo && { replyTo: event.replyTo }),
          },
        ];
      }
      case 'reaction': {
        const reaction = {
          chatId: this.chatOf(event, privateOwner),
          targetId: event.replyTo,
          sender: this.user(event.nick),
          key: event.key,
        };
        return [
          event.removed ? { kind: 'reaction-removed', ...reaction } : { kind: 'reaction', ...reaction },
        ];
      }
      case 'join':
        // Lazy member lists: a ghost joins the room when its user first speaks (the core joins it then).
        if (this.bot.config.memberList === 'lazy') return [];
        return [
          {
            kind: 'membership',
            chatId: this.chatIdFor(event.channel),
            user: this.user(event.nick),
            membership: 'join',
          },
        ];
      case 'part':
        return [
          {
            kind: 'membership',
            chatId: this.chatIdFor(event.channel),
            user: this.user(event.nick),
            membership: 'leave',
            ...(event.reason && { reason: event.reason }),
          },
        ];
      case 'quit': {
        const user = this.user(event.nick);
        this.ghostByNick.delete(this.bot.fold(event.nick));
        return event.channels.map(
          (channel) =>
            ({
              kind: 'membership',
              chatId: this.chatIdFor(channel),
              user,
              membership: 'leave',
              reason: event.reason,
            }) as const,
        );
      }
      case 'kick':
        return [
          {
            kind: 'membership',
            chatId: this.chatIdFor(event.channel),
            user: this.user(event.kicked),
            membership: 'kick',
            by: this.user(event.nick),
            ...(event.reason && { reason: event.reason }),
          },
        ];
      case 'nick': {
        const user = this.user(event.nick);
        this.ghostByNick.delete(this.bot.fold(event.nick));
        this.ghostByNick.set(this.bot.fold(event.newNick), user.id);
        return [{ kind: 'profile', user: { id: user.id, displayName: event.newNick } }];
      }
      case 'topic':
        return [{ kind: 'chat-info', chatId: this.chatIdFor(event.channel), topic: event.topic }];
    }
  }

  /** A line in a channel belongs to its portal; a private one to the private chat of the sender and the one addressed. */
  private chatOf(event: { nick: string; target: string }, privateOwner: string | undefined): string {
    if (isChannelName(event.target, this.bot.chanTypes)) return this.chatIdFor(event.target);
    return privateOwner
      ? privateChatIdFor(this.network, this.bot.fold(event.nick), privateOwner)
      : this.chatIdFor(event.nick);
  }

  /** Lines and membership of virtual users: they came from Matrix. */
  private fromMatrix(event: IrcInbound): boolean {
    switch (event.kind) {
      case 'kick':
        return this.isBridgedNick(event.kicked);
      case 'nick':
        return this.isBridgedNick(event.nick) || this.isBridgedNick(event.newNick);
      case 'topic':
        return event.nick !== undefined && this.isBridgedNick(event.nick);
      default:
        return this.isBridgedNick(event.nick);
    }
  }
}
