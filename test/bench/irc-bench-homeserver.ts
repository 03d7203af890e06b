/** The null homeserver of the IRC benches, in its own process so the bridge is measured alone. */
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The null homeserver: every call succeeds at once. GET /_count says how many messages were sent
 * and how many arrived out of order in their room; GET /_rooms maps alias localparts to room ids.
 */
const nullHomeserverScript = (DOMAIN: string) => `
const http = require('node:http');
const { createHash } = require('node:crypto');
// Shaped like real event ids (see event-ids.ts): random, so the store's indexes see real inserts.
const eventId = (n) => '$' + createHash('sha256').update('e' + n).digest('base64url');
let n = 0, messages = 0, outOfOrder = 0;
const rooms = {}, lastIndex = new Map();
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const url = req.url;
    let out = {};
    if (url === '/_count') out = { messages, outOfOrder };
    else if (url === '/_rooms') out = rooms;
    else if (url.includes('/createRoom')) {
      const room = '!room' + ++n + ':${DOMAIN}';
      const alias = JSON.parse(body || '{}').room_alias_name;
      if (alias) rooms[alias] = room;
      out = { room_id: room };
    }
    else if (url.includes('/join')) out = { room_id: decodeURIComponent(url.split('/join/')[1] || '!x:${DOMAIN}').split('?')[0] };
    else if (url.includes('/send/m.room.message')) {
      messages++;
      // Bodies are "<run prefix> <index>": order is checked per room and run.
      const [run, index] = String(JSON.parse(body).body).split(' ');
      const key = url.split('/rooms/')[1].split('/')[0] + ' ' + run;
      if ((lastIndex.get(key) ?? -1) > Number(index)) outOfOrder++;
      lastIndex.set(key, Number(index));
      out = { event_id: eventId(++n) };
    }
    else if (req.method === 'PUT' || url.includes('/send/')) out = { event_id: eventId(++n) };
    else if (url.includes('/register')) out = { user_id: '@x:${DOMAIN}' };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
}).listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

/** Start it on `port` in its own process (killed when this process exits). */
export async function startNullHomeserver(port: number, domain: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', nullHomeserverScript(domain), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill());
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}
