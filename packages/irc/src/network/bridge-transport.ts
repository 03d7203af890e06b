/**
 * irc-framework's TCP/TLS transport (src/transports/net.js), made cheaper for a bridge that opens
 * hundreds of connections a second (virtual users). Profiling a thousand registrations showed most
 * of the bridge's CPU in irc-framework's handling of incoming lines, so this transport:
 *
 * - hands irc-framework no line the bridge never reads: LUSERS and MOTD numerics are a third of a
 *   registration on a small server and most of it on a network with a long MOTD, and each line
 *   would go through irc-framework's parser, tag decoding, dispatch and event proxying; nor the
 *   lines the connection's `skipLine` option refuses (a virtual user's: other people's
 *   channel traffic, see `others-channel-traffic.ts`);
 * - splits and decodes UTF-8 with Buffer#toString instead of iconv-lite, without copying the read
 *   buffer per chunk (irc-framework concatenates every chunk onto the unread rest);
 * - writes the lines of one tick in one system call (`CAP LS`, `NICK` and `USER` at connect, a
 *   burst from the send queue), by corking the socket until the next tick;
 * - skips irc-framework's debug text and its encoding self-test for UTF-8 (an iconv-lite round
 *   trip, twice per connect).
 *
 * Other encodings take irc-framework's own paths unchanged.
 */
import type { Socket } from 'node:net';
import NetTransport from 'irc-framework/src/transports/net';

/**
 * Numerics only a person reading a client would look at: the server's version and creation date
 * (002-004), RPL_STATSCONN (250), the LUSERS replies (251-255, 265, 266) and the MOTD (372, 375,
 * 376, 422). Nothing in the bridge reads irc-framework's `motd` event, `network.ircd` or the
 * server's user counts.
 */
const UNREAD_NUMERICS = new Set([
  ...['002', '003', '004', '250', '251', '252', '253', '254', '255', '265', '266'],
  ...['372', '375', '376', '422'],
]);

const EMPTY = Buffer.alloc(0);
const LF = 0x0a;

export class BridgeTransport extends NetTransport {
  /** The socket is corked until the next tick, gathering this tick's lines into one write. */
  private corked = false;

  override setEncoding(encoding: string): boolean {
    if (encoding !== 'utf8') return super.setEncoding(encoding);
    this.encoding = 'utf8';
    return true;
  }

  override writeLine(line: string, callback?: () => void): void {
    const socket = this.socket as Socket | null;
    if (this.encoding !== 'utf8' || !socket || !this.isConnected()) return super.writeLine(line, callback);
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(line + '\r\n', callback);
  }

  override onSocketData(data: Buffer): void {
    if (this.encoding !== 'utf8') return super.onSocketData(data);
    const buffer = this.incoming_buffer.length ? Buffer.concat([this.incoming_buffer, data]) : data;
    let start = 0;
    for (let end = buffer.indexOf(LF); end !== -1; end = buffer.indexOf(LF, start)) {
      // With its line ending, as irc-framework emits lines; its parser drops the CR LF.
      const line = buffer.toString('utf8', start, end + 1);
      start = end + 1;
      if (!UNREAD_NUMERICS.has(numericOf(line)) && !this.options.skipLine?.(line)) this.emit('line', line);
    }
    // A partial line waits for the rest (copied: `data` may be a slice of a larger pooled buffer).
    this.incoming_buffer = start === buffer.length ? EMPTY : Buffer.from(buffer.subarray(start));
  }

  override debugOut(): void {
    // irc-framework builds a debug string per socket event; nothing reads it.
  }
}

/** The command of a raw line if it is a three-digit numeric, else "" (tags and prefix skipped). */
function numericOf(line: string): string {
  let at = 0;
  if (line.charCodeAt(at) === 0x40 /* @ */) at = line.indexOf(' ', at) + 1;
  if (line.charCodeAt(at) === 0x3a /* : */) at = line.indexOf(' ', at) + 1;
  if (at === 0 && (line[0] === '@' || line[0] === ':')) return '';
  return line.charCodeAt(at + 3) === 0x20 ? line.slice(at, at + 3) : '';
}
