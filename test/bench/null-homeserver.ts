/**
 * A homeserver that answers every appservice call at once, run as its own process so that the bridge
 * being measured has its core to itself. `fork()` it; it sends its port over IPC.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { realisticEventId } from './event-ids';

let events = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = req.url ?? '';
    let status = 200;
    let body: unknown = {};
    if (
      url.includes('/send/') ||
      (url.includes('/state/') && req.method === 'PUT') ||
      url.includes('/redact/')
    ) {
      body = { event_id: realisticEventId(`e${++events}`) };
    } else if (url.includes('/register')) body = { user_id: '@x:bench' };
    else if (url.includes('/joined_members')) body = { joined: {} };
    else if (url.includes('/join')) body = { room_id: '!joined:bench' };
    else if (url.includes('/state/m.room.member/')) body = { displayname: 'Bench User', membership: 'join' };
    else if (url.includes('/upload')) body = { content_uri: 'mxc://bench/media' };
    else if (req.method === 'GET' && url.includes('/state/')) {
      status = 404;
      body = { errcode: 'M_NOT_FOUND', error: 'no state' };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('message', (m) => {
  if (m === 'count') process.send?.({ events });
});
