import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Http1Error, Http1Pool } from './http1-pool';

const servers: Server[] = [];
const sockets = new Set<Socket>();
const pools: Http1Pool[] = [];

afterEach(async () => {
  // The servers' sockets go first, so that a request still waiting for an answer fails rather than
  // holding up the pool's close().
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(pools.splice(0).map((p) => p.close()));
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A real node:http server; counts the TCP connections it accepted. */
async function httpServer(handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void) {
  const stats = { connections: 0 };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  server.on('connection', () => stats.connections++);
  return { origin: await listen(server), stats };
}

/** A raw TCP server, for answers node:http would not give: `answer` gets each request's head. */
async function tcpServer(answer: (socket: Socket, head: string, count: number) => void) {
  const stats = { connections: 0 };
  const server = createTcpServer((socket) => {
    stats.connections++;
    let buffered = '';
    let count = 0;
    socket.on('data', (data) => {
      buffered += data.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        answer(socket, head, ++count);
      }
    });
    socket.on('error', () => undefined);
  });
  return { origin: await listen(server), stats };
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function pool(origin: string, options: ConstructorParameters<typeof Http1Pool>[1] = {}): Http1Pool {
  const p = new Http1Pool(origin, options);
  pools.push(p);
  return p;
}

const get = (path = '/') => ({ method: 'GET', path, headers: '' });

describe('Http1Pool', () => {
  it('sends method, path, headers and body, and reads the answer whole', async () => {
    const { origin } = await httpServer((req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          body: String(body),
        }),
      );
    });
    const res = await pool(origin).request({
      method: 'PUT',
      path: '/send/1?user_id=%40a%3Ab',
      headers: 'authorization: Bearer as\r\ncontent-type: application/json\r\n',
      body: '{"body":"héllo"}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({
      method: 'PUT',
      url: '/send/1?user_id=%40a%3Ab',
      auth: 'Bearer as',
      body: '{"body":"héllo"}',
    });
  });

  it('reuses an idle connection, and opens no more than `connections` at once', async () => {
    const { origin, stats } = await httpServer((_req, _body, res) => setTimeout(() => res.end('ok'), 20));
    const p = pool(origin, { connections: 2 });
    await p.request(get());
    await p.request(get());
    expect(stats.connections).toBe(1);
    const answers = await Promise.all(Array.from({ length: 6 }, () => p.request(get())));
    expect(answers.map((a) => a.body.toString())).toEqual(Array(6).fill('ok'));
    expect(stats.connections).toBe(2);
  });

  it('reads chunked bodies, and large bodies sent in pieces', async () => {
    const big = Buffer.alloc(300_000, 7);
    const { origin } = await httpServer((req, body, res) => {
      if (req.url === '/echo') return res.end(body);
      res.write('first,');
      setTimeout(() => res.end('second'), 10);
    });
    const p = pool(origin);
    expect((await p.request(get('/chunked'))).body.toString()).toBe('first,second');
    const echoed = await p.request({ method: 'POST', path: '/echo', headers: '', body: big });
    expect(echoed.body.equals(big)).toBe(true);
    expect((await p.request(get('/chunked'))).body.toString()).toBe('first,second');
  });

  it('parses an answer that arrives one byte at a time, skipping a 100 Continue', async () => {
    const { origin } = await tcpServer((socket) => {
      const bytes = Buffer.from(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n',
      );
      let i = 0;
      const next = () => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i), () => setImmediate(next));
      };
      next();
    });
    const res = await pool(origin).request(get());
    expect({ status: res.status, body: res.body.toString() }).toEqual({ status: 200, body: 'abcde' });
  });

  it('reads a body that ends with the connection, and then uses a new one', async () => {
    const { origin, stats } = await tcpServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end'));
    const p = pool(origin);
    expect((await p.request(get())).body.toString()).toBe('until the end');
    expect((await p.request(get())).body.toString()).toBe('until the end');
    expect(stats.connections).toBe(2);
  });

  it('does not reuse a connection whose answer said Connection: close', async () => {
    // The server leaves the socket open: the client must still not send on it again.
    const { origin, stats } = await tcpServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye'),
    );
    const p = pool(origin);
    await p.request(get());
    expect((await p.request(get())).body.toString()).toBe('bye');
    expect(stats.connections).toBe(2);
  });

  it('reads no body after 204, and reuses the connection', async () => {
    const { origin, stats } = await tcpServer((socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
    const p = pool(origin);
    const empty = await p.request(get());
    expect({ status: empty.status, length: empty.body.length }).toEqual({ status: 204, length: 0 });
    await p.request(get());
    expect(stats.connections).toBe(1);
  });

  it('gives the Retry-After of a failure', async () => {
    const { origin } = await httpServer((req, _body, res) =>
      res.writeHead(req.url === '/limited' ? 429 : 200, { 'Retry-After': '3' }).end('{}'),
    );
    const p = pool(origin);
    expect(await p.request(get('/limited'))).toMatchObject({ status: 429, retryAfter: '3' });
    expect((await p.request(get('/ok'))).retryAfter).toBeUndefined();
  });

  it('sends an idempotent request again on a new connection when a reused one closes unanswered', async () => {
    // The first request on each connection is answered; the second gets the connection closed on it,
    // as when a server drops an idle keep-alive connection just as the request goes out.
    const { origin, stats } = await tcpServer((socket, _head, count) => {
      if (count === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    const p = pool(origin);
    await p.request(get());
    expect((await p.request({ method: 'PUT', path: '/', headers: '', body: '{}' })).body.toString()).toBe(
      'ok',
    );
    expect(stats.connections).toBe(2);
    // A POST may have been acted on: it is not sent twice, the caller hears of the failure.
    await expect(p.request({ method: 'POST', path: '/', headers: '', body: '{}' })).rejects.toBeInstanceOf(
      Http1Error,
    );
    expect(stats.connections).toBe(2);
  });

  it('does not reuse a connection that sent more than the answer', async () => {
    const { origin, stats } = await tcpServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n'),
    );
    const p = pool(origin);
    expect((await p.request(get())).body.toString()).toBe('ok');
    expect((await p.request(get())).body.toString()).toBe('ok');
    expect(stats.connections).toBe(2);
  });

  it('fails a request whose connection stays silent past the timeout', async () => {
    const { origin } = await tcpServer(() => undefined);
    await expect(pool(origin, { timeoutMs: 200 }).request(get())).rejects.toThrow(/no answer within/);
  });

  it('closes idle connections after keepAliveMs', async () => {
    let closed = 0;
    const { origin } = await tcpServer((socket) => {
      socket.on('close', () => closed++);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    await pool(origin, { keepAliveMs: 100 }).request(get());
    await new Promise((r) => setTimeout(r, 1500));
    expect(closed).toBe(1);
  });

  it('rejects with the socket error when nothing listens, and after close()', async () => {
    const p = pool('http://127.0.0.1:1');
    await expect(p.request(get())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await p.close();
    await expect(p.request(get())).rejects.toThrow(/closed/);
  });

  it('close() lets a request under way finish', async () => {
    const { origin } = await httpServer((_req, _body, res) => setTimeout(() => res.end('late'), 50));
    const p = pool(origin);
    const pending = p.request(get());
    await new Promise((r) => setTimeout(r, 10));
    await p.close();
    expect((await pending).body.toString()).toBe('late');
  });

  it('keeps every header, or the ones named, when asked, by lower-case name with repeats joined', async () => {
    const { origin } = await httpServer((_req, _body, res) => {
      res.setHeader('X-RateLimit-Remaining', '4');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
    const p = pool(origin);
    const res = await p.request({ ...get(), responseHeaders: 'all' });
    expect(res.headers?.get('x-ratelimit-remaining')).toBe('4');
    expect(res.headers?.get('set-cookie')).toBe('a=1, b=2');
    const some = await p.request({ ...get(), responseHeaders: new Set(['x-ratelimit-remaining']) });
    expect([...some.headers!]).toEqual([['x-ratelimit-remaining', '4']]);
    expect((await p.request(get())).headers).toBeUndefined();
  });

  it('an abort takes a request out of the queue, or closes the socket carrying it', async () => {
    const answers: ServerResponse[] = [];
    const { origin, stats } = await httpServer((_req, _body, res) => answers.push(res));
    const p = pool(origin, { connections: 1 });
    const carried = new AbortController();
    const queued = new AbortController();
    const first = p.request({ ...get('/first'), signal: carried.signal });
    const second = p.request({ ...get('/second'), signal: queued.signal });
    const third = p.request(get('/third'));
    await until(() => answers.length === 1);
    queued.abort(new Error('gave up waiting'));
    await expect(second).rejects.toThrow('gave up waiting');
    carried.abort(new Error('too slow'));
    await expect(first).rejects.toThrow('too slow');
    // The third goes out on a new connection: the first's answer could still arrive on the old one.
    await until(() => answers.length === 2);
    answers[1]!.end('third');
    expect((await third).body.toString()).toBe('third');
    expect(stats.connections).toBe(2);
    const already = new AbortController();
    already.abort(new Error('before it started'));
    await expect(p.request({ ...get(), signal: already.signal })).rejects.toThrow('before it started');
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the server never got the request');
    await new Promise((r) => setTimeout(r, 5));
  }
}
