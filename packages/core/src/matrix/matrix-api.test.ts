import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeServer, listenOn } from '../ops/http-server';
import { MatrixApi, MatrixApiError } from './matrix-api';

/** What the homeserver saw of the last request. */
interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

describe('the appservice Matrix client', () => {
  let server: http.Server;
  let api: MatrixApi;
  let seen: Seen = { body: '' };
  /** The next answer: status, headers and the body in chunks. */
  let answer: { status: number; headers?: Record<string, string>; chunks: string[] };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = {
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body,
        };
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        for (const chunk of answer.chunks) res.write(chunk);
        res.end();
      });
    });
    const port = await listenOn(server, 0, '127.0.0.1');
    api = new MatrixApi(`http://127.0.0.1:${port}`, 'as-secret', '@bot:example.org');
  });
  afterAll(async () => {
    await api.close();
    await closeServer(server);
  });

  it('sends as a ghost with the appservice token, user_id and the event as JSON', async () => {
    answer = { status: 200, chunks: ['{"event_id":"$e1"}'] };
    const eventId = await api.sendEvent(
      '!r:example.org',
      'm.room.message',
      { body: 'hi' },
      'txn 1',
      '@g:x',
      42,
    );
    expect(eventId).toBe('$e1');
    expect(seen).toEqual({
      method: 'PUT',
      url: '/_matrix/client/v3/rooms/!r%3Aexample.org/send/m.room.message/txn%201?user_id=%40g%3Ax&ts=42',
      authorization: 'Bearer as-secret',
      contentType: 'application/json',
      body: '{"body":"hi"}',
    });
  });

  it('sends as the bot without user_id', async () => {
    answer = { status: 200, chunks: ['{"room_id":"!joined:example.org"}'] };
    expect(await api.join('#a:example.org')).toBe('!joined:example.org');
    expect(seen.url).toBe('/_matrix/client/v3/join/%23a%3Aexample.org');
  });

  it('reads an answer that arrives in several pieces whole', async () => {
    answer = { status: 200, chunks: ['{"joined":{"@a:x":{},', '"@b:x":{}', '}}'] };
    expect(await api.joinedMembers('!r:example.org')).toEqual(['@a:x', '@b:x']);
  });

  it('turns an error answer into a MatrixApiError with its errcode, waiting as Retry-After says', async () => {
    answer = {
      status: 429,
      headers: { 'retry-after': '3' },
      chunks: ['{"errcode":"M_LIMIT_EXCEEDED","error":"slow down"}'],
    };
    const err = await api.sendEvent('!r:x', 'm.room.message', {}, 't').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixApiError);
    expect(err).toMatchObject({
      status: 429,
      errcode: 'M_LIMIT_EXCEEDED',
      retryAfterMs: 3000,
      retryable: true,
    });
  });

  it('reports an unreachable homeserver as a retryable M_NETWORK error', async () => {
    const closed = http.createServer();
    const port = await listenOn(closed, 0, '127.0.0.1');
    await closeServer(closed);
    const gone = new MatrixApi(`http://127.0.0.1:${port}`, 't', '@bot:x');
    try {
      const err = await gone.getProfile('@a:x').catch((e: unknown) => e);
      expect(err).toMatchObject({ errcode: 'M_NETWORK', retryable: true });
    } finally {
      await gone.close();
    }
  });
});
