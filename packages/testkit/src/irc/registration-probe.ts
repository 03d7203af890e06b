import { connect } from 'node:net';

/**
 * Connect with a raw socket and register a throwaway nick. Resolves once the server sends 001
 * (RPL_WELCOME), which proves the whole client path works — not just that the port is open.
 */
export function probeRegistration(
  host: string,
  port: number,
  timeoutMs: number,
  password?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const nick = `probe${Math.floor(Math.random() * 1e6)}`;
    const socket = connect({ host, port });
    let buffered = '';
    const timer = setTimeout(
      () => finish(new Error(`no RPL_WELCOME from ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        socket.end('QUIT :probe done\r\n');
        resolve();
      }
    };
    socket.setEncoding('utf8');
    const pass = password === undefined ? '' : `PASS :${password}\r\n`;
    socket.on('connect', () => socket.write(`${pass}NICK ${nick}\r\nUSER ${nick} 0 * :probe\r\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const pingMatch = /^PING (.*)$/m.exec(buffered);
      if (pingMatch) socket.write(`PONG ${pingMatch[1]}\r\n`);
      if (/^:\S+ 001 /m.test(buffered)) finish();
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error(`connection to ${host}:${port} closed before registration`)));
  });
}
