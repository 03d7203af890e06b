/** One thing an {@link IrcTestUser} saw on the wire, flattened from irc-framework's event payloads. */
export interface IrcLogEntry {
  type:
    | 'privmsg'
    | 'action'
    | 'notice'
    | 'join'
    | 'part'
    | 'quit'
    | 'kick'
    | 'nick'
    | 'topic'
    | 'mode'
    | 'tagmsg'
    | 'invite';
  /** Who did it (sender of a message, the joiner, the kicker, the old nick on a nick change). */
  nick?: string;
  /** Channel or nick a message was sent to, or the target of a MODE. */
  target?: string;
  channel?: string;
  /** Message text (also part/quit/kick reason). */
  message?: string;
  /** The new nick on a nick change. */
  newNick?: string;
  /** The kicked nick on a kick. */
  kicked?: string;
  topic?: string;
  /** MODE changes, e.g. `['+o alice']`. */
  modes?: string[];
  /** IRCv3 server-time in ms since epoch, when the server sent it. */
  time?: number;
  /** IRCv3 message tags (msgid, time …). */
  tags: Record<string, string>;
}

type Payload = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Convert an irc-framework event payload into a log entry. */
export function toLogEntry(type: IrcLogEntry['type'], e: Payload): IrcLogEntry {
  const modes = Array.isArray(e.modes)
    ? (e.modes as Array<{ mode: string; param?: string }>).map((m) =>
        m.param ? `${m.mode} ${m.param}` : m.mode,
      )
    : undefined;
  return {
    type,
    nick: str(e.nick),
    target: str(e.target),
    channel: str(e.channel),
    message: str(e.message),
    newNick: str(e.new_nick),
    kicked: str(e.kicked),
    topic: str(e.topic),
    modes,
    time: typeof e.time === 'number' ? e.time : undefined,
    tags: (e.tags as Record<string, string> | undefined) ?? {},
  };
}
