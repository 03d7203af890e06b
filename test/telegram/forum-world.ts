/**
 * The setting of the forum suites: the Bot API simulator with a forum supergroup ("Makers", Bob in it, the
 * bot an admin), the bridge as its own process on a real Synapse (`link_approval: none`), and Alice in the
 * forum's portal room. Needs `npx tsc -b` first (the bridge runs from `dist/`).
 */
import type { TelegramConfig } from '@trestle/telegram';
import { MatrixTestUser, TelegramSimulator, type BridgeWorld } from '@trestle/testkit';
import { startTelegramWorld } from './telegram-fixtures';

export interface ForumWorld {
  sim: TelegramSimulator;
  world: BridgeWorld;
  alice: MatrixTestUser;
  bob: ReturnType<TelegramSimulator['addUser']>;
  forum: number;
  /** The forum's portal room (its General topic). */
  forumRoom: string;
}

/**
 * Start it all, filling in `started` as each part comes up (so that {@link stopForumWorld} can stop what
 * a failed start left running); `prepare` may add chats to the simulator before the bridge starts.
 */
export async function startForumWorld(
  started: Partial<ForumWorld>,
  forumTopics: TelegramConfig['forum_topics'],
  prepare: (sim: TelegramSimulator, bob: ForumWorld['bob']) => void = () => undefined,
): Promise<ForumWorld> {
  const sim = (started.sim = await TelegramSimulator.start());
  const bob = (started.bob = sim.addUser({ first_name: 'Bob' }));
  const forum = (started.forum = sim.createChat({
    type: 'supergroup',
    title: 'Makers',
    isForum: true,
    members: [bob.id],
    bot: 'administrator',
  }).id);
  prepare(sim, bob);
  const world = (started.world = await startTelegramWorld(sim, {
    link_approval: 'none',
    forum_topics: forumTopics,
  }));
  await world.startBridge();
  const alice = (started.alice = await MatrixTestUser.register(world.synapse, 'alice', {
    displayName: 'Alice',
  }));
  const forumRoom = await alice.joinRoom(`#telegram_${forum}:${world.synapse.serverName}`);
  return { sim, world, alice, bob, forum, forumRoom };
}

/** Stop what was started; `TRESTLE_SHOW_BRIDGE_LOG=1` prints the end of the bridge's log first. */
export async function stopForumWorld(started: Partial<ForumWorld>): Promise<void> {
  const { world, alice, sim } = started;
  if (process.env.TRESTLE_SHOW_BRIDGE_LOG)
    process.stderr.write(world?.bridgeLog().split('\n').slice(-80).join('\n') ?? '');
  await alice?.stop();
  await world?.stop();
  await sim?.stop();
}
