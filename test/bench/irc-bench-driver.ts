/**
 * The IRC and Matrix side of the IRC message bench, in its own process so that the bridge process
 * is measured alone. `fork()` it and send {@link DriverCommand}s; each is answered once done.
 *
 * It speaks raw IRC (two sockets: a talker that floods channels and a listener that counts what the
 * bridge relays) instead of irc-framework, so that the driver costs little next to the bridge and
 * the ircd, and it pushes appservice transactions to the bridge.
 */
import { RawIrcClient } from './irc-bench-raw-client';

export type DriverCommand =
  | { op: 'setup'; host: string; port: number; channels: string[] }
  | { op: 'flood'; channels: string[]; count: number; prefix: string }
  | {
      op: 'transactions';
      asUrl: string;
      hsToken: string;
      /** Room ids, in the same order as `channels`. */
      rooms: string[];
      channels: string[];
      count: number;
      prefix: string;
      botNick: string;
      sender: string;
    }
  | { op: 'quit' };

export type DriverAnswer =
  | { op: 'ready' }
  | { op: 'flooded' }
  | { op: 'relayed'; got: number; outOfOrder: number }
  | { op: 'error'; message: string };

let talker: RawIrcClient | undefined;
let listener: RawIrcClient | undefined;
let transactionNumber = 0;

async function handle(cmd: DriverCommand): Promise<DriverAnswer> {
  switch (cmd.op) {
    case 'setup': {
      [talker, listener] = await Promise.all([
        RawIrcClient.connect(cmd.host, cmd.port, 'talker'),
        RawIrcClient.connect(cmd.host, cmd.port, 'listener'),
      ]);
      await Promise.all([talker.join(cmd.channels), listener.join(cmd.channels)]);
      return { op: 'ready' };
    }
    case 'flood': {
      for (let i = 0; i < cmd.count; i++) {
        talker!.write(`PRIVMSG ${cmd.channels[i % cmd.channels.length]} :${cmd.prefix} ${i}`);
      }
      await talker!.drained();
      return { op: 'flooded' };
    }
    case 'transactions':
      return relay(cmd);
    case 'quit':
      talker?.quit();
      listener?.quit();
      return { op: 'ready' };
  }
}

/**
 * Push `count` messages round-robin over the rooms, 100 events per transaction, and resolve once
 * the listener has seen each relayed; counts lines that arrived out of order within their channel.
 */
async function relay(cmd: Extract<DriverCommand, { op: 'transactions' }>): Promise<DriverAnswer> {
  const lastIndex = new Map<string, number>();
  let got = 0;
  let outOfOrder = 0;
  const marker = ` :<`;
  const all = new Promise<void>((resolve) => {
    const off = listener!.onLine((line) => {
      if (!line.startsWith(`:${cmd.botNick}!`) || !line.includes(' PRIVMSG ')) return;
      const at = line.indexOf(`${cmd.prefix} `, line.indexOf(marker));
      if (at < 0) return;
      const index = Number(line.slice(at + cmd.prefix.length + 1));
      const channel = line.split(' ')[2]!.toLowerCase();
      if ((lastIndex.get(channel) ?? -1) > index) outOfOrder++;
      lastIndex.set(channel, index);
      if (++got === cmd.count) {
        off();
        resolve();
      }
    });
  });
  for (let i = 0; i < cmd.count; i += 100) {
    const events = Array.from({ length: Math.min(100, cmd.count - i) }, (_, k) => ({
      type: 'm.room.message',
      room_id: cmd.rooms[(i + k) % cmd.rooms.length],
      sender: cmd.sender,
      event_id: `$${cmd.prefix}-${i + k}`,
      origin_server_ts: Date.now(),
      content: { msgtype: 'm.text', body: `${cmd.prefix} ${i + k}` },
    }));
    const answer = await fetch(`${cmd.asUrl}/_matrix/app/v1/transactions/d${transactionNumber++}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${cmd.hsToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    if (!answer.ok) throw new Error(`transaction refused: ${answer.status}`);
  }
  await all;
  return { op: 'relayed', got, outOfOrder };
}

process.on('message', (cmd: DriverCommand) => {
  handle(cmd).then(
    (answer) => process.send!(answer),
    (err: Error) => process.send!({ op: 'error', message: err.message }),
  );
  if (cmd.op === 'quit') setTimeout(() => process.exit(0), 200);
});
