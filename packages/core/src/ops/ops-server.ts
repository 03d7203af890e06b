/** The health and metrics endpoint admins scrape (`/health`, `/metrics`), on its own port. */
import http from 'node:http';
import { closeServer, listenOn } from './http-server';

export class OpsServer {
  private server?: http.Server;

  constructor(
    private readonly health: () => { ok: boolean; details: Record<string, unknown> },
    private readonly metrics: () => Promise<string>,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') {
        const h = this.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', ...h.details }));
      }
      if (path === '/metrics') {
        return void this.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
            res.end(text);
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      }
      res.writeHead(404);
      res.end();
    });
    this.server = server;
    return listenOn(server, port, host);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }
}
