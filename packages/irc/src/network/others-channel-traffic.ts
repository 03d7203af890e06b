/**
 * Lines a virtual user's connection has no use for: other people's comings and goings (JOIN, PART,
 * QUIT, NICK and IRCv3 presence updates), what they say in channels, and NAMES lists. The bot
 * reads all of that and bridges it; a virtual user needs only its own lines (echoes, its JOINs and
 * nick changes), private messages to it, and the server's replies. In a channel shared by N virtual
 * users every JOIN reaches all of them, so filling it costs N² lines, and every line said there
 * reaches N connections: dropped before irc-framework parses them, they cost a few string searches.
 */
const PRESENCE = new Set(['JOIN', 'PART', 'QUIT', 'NICK', 'AWAY', 'ACCOUNT', 'CHGHOST', 'SETNAME']);
const SPEECH = new Set(['PRIVMSG', 'NOTICE', 'TAGMSG']);
const RPL_NAMREPLY = '353';

/**
 * True for a raw line (tags and all) that is a NAMES reply, another nick's presence change, or
 * another nick's message to a channel.
 */
export function isOthersChannelTraffic(
  line: string,
  isMe: (nick: string) => boolean,
  isChannel: (target: string) => boolean,
): boolean {
  let at = 0;
  if (line.charCodeAt(0) === 0x40 /* @ */) {
    at = line.indexOf(' ') + 1;
    if (at === 0) return false;
  }
  let nick = '';
  if (line.charCodeAt(at) === 0x3a /* : */) {
    const prefixEnd = line.indexOf(' ', at);
    if (prefixEnd < 0) return false;
    const bang = line.indexOf('!', at);
    nick = line.slice(at + 1, bang > at && bang < prefixEnd ? bang : prefixEnd);
    at = prefixEnd + 1;
  }
  const commandEnd = line.indexOf(' ', at);
  const command = line.slice(at, commandEnd < 0 ? undefined : commandEnd).trimEnd();
  if (command === RPL_NAMREPLY) return true;
  if (!nick || isMe(nick)) return false;
  if (PRESENCE.has(command)) return true;
  if (!SPEECH.has(command) || commandEnd < 0) return false;
  const targetEnd = line.indexOf(' ', commandEnd + 1);
  return isChannel(line.slice(commandEnd + 1, targetEnd < 0 ? undefined : targetEnd).trimEnd());
}
