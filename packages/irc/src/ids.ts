/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/**
 * How IRC things are named in Trestle: chat ids `<network>/<#channel>` (channel lowercased per the
 * server's CASEMAPPING) or `<network>/<nick>` for private chats, ghost ids `<network>.<nick>`, and
 * alias localparts `<network>_<#channel>`.
 */

export interface IrcChatRef {
  network: string;
  /** Channel or nick, as used on the wire. */
  target: string;
}

export function chatIdFor(network: string, foldedTarget: string): string {
  return `${network}/${foldedTarget}`;
}

/** Split a chat id; undefined when it is not `<network>/<target>`. */
export function parseChatId(chatId: string): IrcChatRef | undefined {
  const slash = chatId.indexOf('/');
  if (slash <= 0 || slash === chatId.length - 1) return undefined;
  return { network: chatId.slice(0, slash), target: chatId.slice(slash + 1) };
}

/** A private chat between an IRC nick and one Matrix user's virtual user. */
export interface PrivateChatRef {
  network: string;
  /** The IRC side's nick, folded. */
  nick: string;
  /** The Matrix user whose virtual user the nick talks to. */
  owner: string;
}

/**
 * `<network>/<nick>/<matrix user id>`: a nick cannot contain `/`, so the first one after the nick
 * splits; the same IRC user talking to two Matrix users makes two chats (two DM rooms).
 */
export function privateChatIdFor(network: string, foldedNick: string, owner: string): string {
  return `${network}/${foldedNick}/${owner}`;
}

/** The parts of a private chat id, or undefined for channels and other chat ids. */
export function parsePrivateChatId(chatId: string): PrivateChatRef | undefined {
  const ref = parseChatId(chatId);
  if (!ref || isChannelName(ref.target, ['#', '&', '+', '!'])) return undefined;
  const slash = ref.target.indexOf('/');
  if (slash <= 0 || !ref.target.startsWith('@', slash + 1)) return undefined;
  return { network: ref.network, nick: ref.target.slice(0, slash), owner: ref.target.slice(slash + 1) };
}

/**
 * `<network>.<nick>`. A dot, because nicks cannot contain one and it passes into the Matrix
 * localpart unescaped (`@irc_libera.bob:example.org`); a `/` would break the `matrix.to` links
 * clients build without encoding the user id.
 */
export function ghostIdFor(network: string, foldedNick: string): string {
  return `${network}.${foldedNick}`;
}

/** The nick inside a ghost id, or undefined when the id is not `<network>.<nick>`. */
export function nickOfGhostId(ghostId: string): string | undefined {
  const dot = ghostId.indexOf('.');
  return dot > 0 && dot < ghostId.length - 1 ? ghostId.slice(dot + 1) : undefined;
}

/** `libera_#trestle` -> libera / #trestle. Network names cannot contain `_`, so the first one splits. */
export function parseAliasLocalpart(localpart: string): IrcChatRef | undefined {
  const underscore = localpart.indexOf('_');
  if (underscore <= 0) return undefined;
  const target = localpart.slice(underscore + 1);
  if (!/^[#&+!][^\s,\x07:]+$/.test(target)) return undefined;
  return { network: localpart.slice(0, underscore), target };
}

/** True for a channel name under the server's CHANTYPES (default `#&`). */
export function isChannelName(target: string, chanTypes: readonly string[] = ['#', '&']): boolean {
  return chanTypes.includes(target[0] ?? '');
}
