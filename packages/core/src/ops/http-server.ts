import http from 'node:http';

/** Start `server` on `host:port`; resolves with the port actually bound (useful when `port` is 0). */
export async function listenOn(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

/** Stop accepting connections and wait for in-flight requests; idle keep-alive sockets are closed at once. */
export function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
