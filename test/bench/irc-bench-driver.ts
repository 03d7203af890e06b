/**
 * The IRC and Matrix side of the IRC message bench, in its own process so that the bridge process
 * is measured alone. `fork()` it and send {@link DriverCommand}s; each is answered once done.
 *
 * It speaks raw IRC (talkers that flood channels and a listener that counts what the bridge relays)
 * instead of irc-framework, so that the driver costs little next to the bridge and the ircd, and it
 * pushes appservice transactions to the bridge.
 *
 * Several talkers, each feeding its own channels (so per-channel order stays checkable): one client
 * writing 3,000 lines at once made InspIRCd 3 leave part of its input unread until its once-a-second
 * timer, up to 4 s per burst (measured with two raw clients and no bridge at all; not its flood
 * penalty, which an oper does not get either), so the bench measured that stall, not the bridge.
 * Real traffic into a bridge comes from many people anyway.
 */
import { RawIrcClient } from './irc-bench-raw-client';
import { realisticEventId } from './event-ids';

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

/** Talkers: channel `i` is fed by talker `i % TALKERS`. */
const TALKERS = 10;
let talkers: RawIrcClient[] = [];
let listener: RawIrcClient | undefined;
let transactionNumber = 0;

async function handle(cmd: DriverCommand): Promise<DriverAnswer> {
  switch (cmd.op) {
    case 'setup': {
      const feeders = Math.min(TALKERS, cmd.channels.length);
      [listener, ...talkers] = await Promise.all([
        RawIrcClient.connect(cmd.host, cmd.port, 'listener'),
        ...Array.from({ length: feeders }, (_, t) => RawIrcClient.connect(cmd.host, cmd.port, `talker${t}`)),
      ]);
      await Promise.all([
        listener.join(cmd.channels),
        ...talkers.map((talker, t) => talker.join(cmd.channels.filter((_, c) => c % feeders === t))),
      ]);
      return { op: 'ready' };
    }
    case 'flood': {
      // The channels of a flood are the first N of setup's, so channel c's talker is c % talkers.
      for (let i = 0; i < cmd.count; i++) {
        const c = i % cmd.channels.length;
        talkers[c % talkers.length]!.write(`PRIVMSG ${cmd.channels[c]} :${cmd.prefix} ${i}`);
      }
      await Promise.all(talkers.map((talker) => talker.drained()));
      return { op: 'flooded' };
    }
    case 'transactions':
      return relay(cmd);
    case 'quit':
      for (const talker of talkers) talker.quit();
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
      event_id: realisticEventId(`${cmd.prefix}-${i + k}`),
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
