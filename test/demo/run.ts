/**
 * `pnpm demo`: a local Synapse, an IRC server, the Discord and Telegram simulators and the three Trestle
 * bridges (SQLite stores), one Matrix room linked to all three networks, a short scripted conversation
 * printed as each side saw it, and login details for any Matrix client. Runs until Ctrl-C; with `--once`
 * it plays the script and exits 0.
 */
import { randomBytes } from 'node:crypto';
import { MatrixTestUser } from '@trestle/testkit';
import {
  IRC_CHANNEL,
  linkRoom,
  startCrossNetworkWorld,
  type CrossNetworkWorld,
} from '../cross-network/cross-network-world';
import { SideViews } from '../cross-network/side-views';
import { DEMO_SCRIPT, playScript } from './demo-script';
import { renderTranscript } from './transcript';

const ROOM_ALIAS_LOCALPART = 'demo';

const print = (line = '') => process.stdout.write(line + '\n');

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const started = Date.now();
  const progress = (step: string) => print(`… ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let world: CrossNetworkWorld | undefined;
  let demoUser: MatrixTestUser | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      print('… stopping the bridges, the simulators, the IRC server and Synapse');
      await demoUser?.stop();
      await world?.stop();
    })());

  try {
    world = await startCrossNetworkWorld({ onProgress: progress });
    const { synapse } = world;
    progress('registering the Matrix user "demo"');
    const password = randomBytes(9).toString('base64url');
    const account = await synapse.registerUser('demo', password);
    demoUser = await MatrixTestUser.connect(synapse.url, account);
    await demoUser.client.setDisplayName('Demo');
    progress('creating the demo room and linking it to IRC, Discord and Telegram');
    const roomId = await demoUser.createRoom({
      name: 'Trestle demo',
      topic: 'One room, four networks',
      room_alias_name: ROOM_ALIAS_LOCALPART,
    });
    await linkRoom(world, demoUser, roomId);
    const views = new SideViews(world, demoUser, roomId);
    progress('playing the scripted conversation');
    await playScript({ world, matrixUser: demoUser, roomId, views });

    print();
    print(
      renderTranscript(
        views,
        DEMO_SCRIPT.map((line) => line.text),
      ),
    );
    print();
    print('Log in with any Matrix client (Element, FluffyChat, Cinny …):');
    print(`  homeserver: ${synapse.url}`);
    print(`  user:       ${account.userId}`);
    print(`  password:   ${password}`);
    print(
      `  room:       #${ROOM_ALIAS_LOCALPART}:${synapse.serverName} (also on IRC ${IRC_CHANNEL}, Discord #general, Telegram "Trestle Demo")`,
    );
    print(
      `  IRC server: ${world.ircd.host}:${world.ircd.port} (plain text) if you want to join with an IRC client`,
    );
    print();

    if (once) {
      await stop();
      print('Demo finished.');
      return;
    }
    print('Running until Ctrl-C.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await stop();
    print('Stopped.');
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    if (world) process.stderr.write(world.bridgeLogs() + '\n');
    await stop().catch(() => undefined);
    process.exitCode = 1;
  }
}

// Library handles (SDK sync loops, HTTP agents) may keep the event loop alive after a clean stop; the
// demo is a command, so it ends when its work is done.
main().finally(() => process.exit());
