import { createServer } from 'node:net';

/**
 * Ask the OS for a TCP port that is free on a loopback address right now.
 *
 * The port is released before this resolves, so another process could take it in between; launchers
 * that hand it to a child process should retry on "address in use" rather than trust it blindly.
 *
 * @param host - The address to bind (default `127.0.0.1`).
 * @returns A port number that was free a moment ago.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not read the port bound on ${host}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
