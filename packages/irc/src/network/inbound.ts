/** What a network connection reports, already normalised (nicks and channels as seen on the wire). */
export type IrcInbound =
  | {
      kind: 'message';
      type: 'privmsg' | 'action' | 'notice';
      nick: string;
      /** Channel, or our own nick for a private message. */
      target: string;
      text: string;
      /** IRCv3 server-time, ms since epoch. */
      time?: number;
      msgid?: string;
      /** IRCv3 `+draft/reply`: the msgid this message answers. */
      replyTo?: string;
    }
  | {
      /** IRCv3 `TAGMSG` with `+draft/react` (or `+draft/unreact`) on the message `replyTo`. */
      kind: 'reaction';
      nick: string;
      /** Channel, or our own nick for a private reaction. */
      target: string;
      replyTo: string;
      key: string;
      removed: boolean;
      time?: number;
    }
  | { kind: 'join'; nick: string; channel: string; time?: number }
  | { kind: 'part'; nick: string; channel: string; reason: string; time?: number }
  | { kind: 'quit'; nick: string; channels: string[]; reason: string; time?: number }
  | { kind: 'kick'; nick: string; kicked: string; channel: string; reason: string; time?: number }
  | { kind: 'nick'; nick: string; newNick: string; channels: string[]; time?: number }
  | { kind: 'topic'; channel: string; topic: string; nick?: string; time?: number };
