import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where candidates are drawn from when the OS's ephemeral range cannot be read (Linux's default starts at 32768). */
const FALLBACK_EPHEMERAL_START = 32_768;
/** The lowest port handed out: above the well-known and most registered services' ports. */
const LOWEST_PORT = 20_000;
const ATTEMPTS = 50;

/**
 * Ask for a TCP port that is free on a loopback address right now.
 *
 * The port is released before this resolves, so another process could take it in between; launchers
 * that hand it to a child process should retry on "address in use" rather than trust it blindly.
 *
 * Why not the OS's pick (port 0): it comes from the ephemeral range, the same one every outgoing connection
 * takes its source port from, so under load (parallel suites, a bridge's connection pools) a port found free
 * was often taken by some connection before the server listened. Ports are drawn at random below that range
 * instead, where only listeners compete.
 *
 * @param host - The address to bind (default `127.0.0.1`).
 * @returns A port number that was free a moment ago.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const below = ephemeralRangeStart();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const candidate = LOWEST_PORT + Math.floor(Math.random() * (below - LOWEST_PORT));
    if (await canListen(host, candidate)) return candidate;
  }
  return listenOnce(host, 0);
}

function ephemeralRangeStart(): number {
  try {
    const start = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return start > LOWEST_PORT + 1000 ? start : FALLBACK_EPHEMERAL_START;
  } catch {
    return FALLBACK_EPHEMERAL_START;
  }
}

async function canListen(host: string, port: number): Promise<boolean> {
  try {
    await listenOnce(host, port);
    return true;
  } catch {
    return false;
  }
}

/** Listen on `port` (0: any), close, and resolve with the port that was bound. */
function listenOnce(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
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
