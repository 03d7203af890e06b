/**
 * IRC users who write to the bridge bot's own nick get one NOTICE saying the bot takes no messages and
 * how to reach Matrix people instead (rather than silence). Once per nick per ten minutes, and never
 * in answer to a NOTICE (RFC 2812: automatic replies to notices make loops between bots).
 */
import type { IrcInbound } from './network/inbound';
import type { IrcConnection } from './network/irc-connection';

const REPLY_EVERY_MS = 10 * 60_000;

export class BotPrivateReply {
  private readonly lastReply = new Map<string, number>();

  constructor(private readonly bot: IrcConnection) {}

  /** True when the event was a private message to the bot (answered, or deliberately not). */
  handle(event: IrcInbound, now = Date.now()): boolean {
    if (event.kind !== 'message' || this.bot.isChannel(event.target)) return false;
    if (event.type === 'notice') return true;
    const key = this.bot.fold(event.nick);
    if ((this.lastReply.get(key) ?? 0) > now - REPLY_EVERY_MS) return true;
    this.lastReply.set(key, now);
    if (this.lastReply.size > 1000) this.lastReply.delete(this.lastReply.keys().next().value!);
    void this.bot
      .send('notice', event.nick, [
        `I am the Matrix bridge bot of this network and do not read messages. To talk to someone on Matrix, write to their nick in the channel or privately.`,
      ])
      .catch(() => undefined);
    return true;
  }
}
