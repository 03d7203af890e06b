/**
 * What each of the four sides of a cross-network room shows: the Matrix room timeline, the IRC channel
 * as one IRC user sees it, the Discord channel and the Telegram group. Used to assert "exactly once"
 * and to print the demo transcript.
 */
import type { MatrixTestUser } from '@trestle/testkit';
import { IRC_BOT_NICK, IRC_CHANNEL, type CrossNetworkWorld, type NetworkName } from './cross-network-world';

export type Side = 'matrix' | NetworkName;
export const SIDES: readonly Side[] = ['matrix', 'irc', 'discord', 'telegram'];

/** One message as a side's users see it: who it appears to come from, and its text. */
export interface SeenMessage {
  author: string;
  text: string;
}

export class SideViews {
  /** The IRC server does not echo a user's own lines back to them, so they are noted as they are said. */
  private readonly ownIrcLines: Array<{ at: number; text: string }> = [];

  constructor(
    private readonly world: CrossNetworkWorld,
    private readonly matrixUser: MatrixTestUser,
    private readonly roomId: string,
  ) {}

  /** The IRC person says `text` in the linked channel. */
  ircSay(text: string): void {
    this.ownIrcLines.push({ at: this.world.people.irc.log.length, text });
    this.world.people.irc.say(IRC_CHANNEL, text);
  }

  /** Every message `side` shows, oldest first. */
  seen(side: Side): SeenMessage[] {
    switch (side) {
      case 'matrix':
        return this.matrixUser
          .timeline(this.roomId)
          .filter((e) => e.type === 'm.room.message')
          .map((e) => ({ author: this.matrixName(e.sender), text: String(e.content.body) }));
      case 'irc':
        return this.ircLines();
      case 'discord': {
        const { discord, discordChannel, people } = this.world;
        return discord.messages(discordChannel.id).map((m) => ({
          author:
            m.webhook?.username ??
            (m.authorId === people.discord.id
              ? (people.discord.globalName ?? people.discord.username)
              : m.authorId),
          text: m.content,
        }));
      }
      case 'telegram': {
        const { telegram, telegramChatId } = this.world;
        return telegram.messages(telegramChatId).map((m) => ({
          author: m.from?.id === telegram.bot.id ? 'bridge bot' : (m.from?.first_name ?? 'someone'),
          text: 'text' in m ? (m.text ?? '') : 'caption' in m ? (m.caption ?? '') : '',
        }));
      }
    }
  }

  /** How many messages on `side` contain `fragment`. */
  count(side: Side, fragment: string): number {
    return this.seen(side).filter((m) => m.text.includes(fragment)).length;
  }

  /** A Matrix client shows the sender's display name in the room (from its latest member event). */
  private matrixName(userId: string): string {
    const member = this.matrixUser
      .timeline(this.roomId)
      .filter((e) => e.type === 'm.room.member' && e.state_key === userId)
      .at(-1);
    const name = member?.content.displayname;
    return typeof name === 'string' && name !== userId ? `${name} (${userId})` : userId;
  }

  private ircLines(): SeenMessage[] {
    const person = this.world.people.irc;
    const lines: SeenMessage[] = [];
    const own = [...this.ownIrcLines];
    person.log.forEach((entry, index) => {
      while (own.length && own[0]!.at <= index) lines.push({ author: person.nick, text: own.shift()!.text });
      const inChannel = entry.target?.toLowerCase() === IRC_CHANNEL.toLowerCase();
      if (!inChannel) return;
      if (entry.type === 'privmsg' || entry.type === 'notice')
        lines.push({ author: entry.nick ?? IRC_BOT_NICK, text: entry.message ?? '' });
      if (entry.type === 'action') lines.push({ author: `* ${entry.nick}`, text: entry.message ?? '' });
    });
    for (const rest of own) lines.push({ author: person.nick, text: rest.text });
    return lines;
  }
}
