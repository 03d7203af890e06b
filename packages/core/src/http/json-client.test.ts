import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonHttpClient } from './json-client';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handle: Handler;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('JsonHttpClient', () => {
  it('posts JSON under the base path with the client headers and parses the answer', async () => {
    handle = (req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          path: req.url,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body,
        }),
      );
    };
    const client = new JsonHttpClient(baseUrl, { headers: { authorization: 'Bot x' } });
    const answer = await client.postJson<Record<string, string>>('/sendMessage', '{"text":"hi"}');
    expect(answer).toEqual({
      status: 200,
      json: { path: '/api/sendMessage', auth: 'Bot x', type: 'application/json', body: '{"text":"hi"}' },
    });
    await client.close();
  });

  it('gives the status of a failure and no json when the body is not JSON', async () => {
    handle = (_req, _body, res) => {
      res.writeHead(502);
      res.end('<html>bad gateway</html>');
    };
    const client = new JsonHttpClient(baseUrl);
    expect(await client.postJson('/x', '{}')).toEqual({ status: 502, json: undefined });
    await client.close();
  });

  it('request() keeps every header by lower-case name, joining repeated ones', async () => {
    handle = (req, _body, res) => {
      res.setHeader('X-RateLimit-Remaining', '4');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(429, { 'Retry-After': '3' });
      res.end(req.method);
    };
    const client = new JsonHttpClient(baseUrl);
    const res = await client.request({ method: 'PATCH', path: '/channels/1', headers: { 'x-trace': '1' } });
    expect(res.status).toBe(429);
    expect(res.body.toString()).toBe('PATCH');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    await client.close();
  });

  it('sends prepared headers with the client headers, and keeps only the response headers asked for', async () => {
    handle = (req, _body, res) => {
      res.setHeader('X-RateLimit-Remaining', '4');
      res.setHeader('X-Other', 'x');
      res.end(`${req.headers.authorization} ${req.headers['user-agent']}`);
    };
    const client = new JsonHttpClient(baseUrl, { headers: { authorization: 'Bot x' } });
    const headers = client.prepareHeaders({ 'user-agent': 'Trestle' });
    const res = await client.request({
      method: 'POST',
      path: '/webhooks/1',
      headers,
      responseHeaders: new Set(['x-ratelimit-remaining']),
    });
    expect(res.body.toString()).toBe('Bot x Trestle');
    expect([...res.headers]).toEqual([['x-ratelimit-remaining', '4']]);
    expect(() => client.prepareHeaders({ 'x-evil': 'a\r\nb' })).toThrow(/invalid x-evil header/);
    await client.close();
  });

  it('a request aborted by its signal rejects with the signal reason and does not wait for the answer', async () => {
    handle = () => undefined; // never answers
    const client = new JsonHttpClient(baseUrl);
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const already = new AbortController();
    already.abort();
    await expect(
      client.request({ method: 'GET', path: '/slow', signal: already.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await client.close();
  });

  it('rejects with the network error when nothing listens', async () => {
    const client = new JsonHttpClient('http://127.0.0.1:1/');
    await expect(client.postJson('/x', '{}')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await client.close();
  });
});
