/** A bare IRC client for the benches: cheap next to the bridge and the ircd it measures. */
import { connect, type Socket } from 'node:net';

/** A bare IRC client: registers, joins, writes lines, and hands every received line to `onLine`. */
export class RawIrcClient {
  private buffered = '';
  private lineHandlers: Array<(line: string) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const lines = (this.buffered + chunk).split('\r\n');
      this.buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('PING ')) socket.write(`PONG ${line.slice(5)}\r\n`);
        for (const handle of this.lineHandlers) handle(line);
      }
    });
  }

  static async connect(host: string, port: number, nick: string): Promise<RawIrcClient> {
    const socket = connect({ host, port });
    const client = new RawIrcClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :bench\r\n`));
      client.until((line) => / 001 /.test(line)).then(resolve, reject);
    });
    return client;
  }

  onLine(handle: (line: string) => void): () => void {
    this.lineHandlers.push(handle);
    return () => (this.lineHandlers = this.lineHandlers.filter((h) => h !== handle));
  }

  /** Resolves at the first line that matches. */
  until(match: (line: string) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onLine((line) => {
        if (match(line)) {
          off();
          resolve();
        }
      });
    });
  }

  /** Join channels (several per JOIN) and resolve once every NAMES list has ended. */
  async join(channels: string[]): Promise<void> {
    const left = new Set(channels.map((c) => c.toLowerCase()));
    const done = new Promise<void>((resolve) => {
      const off = this.onLine((line) => {
        const m = / 366 \S+ (\S+) /.exec(line);
        if (m && left.delete(m[1]!.toLowerCase()) && left.size === 0) {
          off();
          resolve();
        }
      });
    });
    for (let i = 0; i < channels.length; i += 20) this.write(`JOIN ${channels.slice(i, i + 20).join(',')}`);
    await done;
  }

  write(line: string): boolean {
    return this.socket.write(line + '\r\n');
  }

  drained(): Promise<void> {
    return this.socket.writableLength === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.socket.once('drain', () => resolve()));
  }

  quit(): void {
    this.socket.end('QUIT :bench done\r\n');
  }
}
