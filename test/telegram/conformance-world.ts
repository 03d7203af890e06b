/**
 * The Telegram conformance world: real Synapse, the bridge in-process, the Bot API simulator, a supergroup
 * linked through `/bridge`, one Telegram user and one Matrix user. Shared by the conformance suite and the
 * latency bench (test/bench/bridge-latency.ts).
 */
import { bridge } from '@trestle/telegram';
import {
  MatrixTestUser,
  startBridgeWorld,
  TelegramConformanceDriver,
  TelegramSimulator,
  type BridgeWorld,
} from '@trestle/testkit';
import type { ConformanceEnvironment } from '../../packages/testkit/src/conformance';

export interface TelegramEnvironment extends ConformanceEnvironment {
  sim: TelegramSimulator;
  world: BridgeWorld;
  alice: MatrixTestUser;
}

export const telegramConformanceWorld = {
  async setup(): Promise<TelegramEnvironment> {
    const sim = await TelegramSimulator.start();
    const dana = sim.addUser({ first_name: 'Dana', username: 'dana' });
    const chat = sim.createChat({
      type: 'supergroup',
      title: 'Conformance',
      members: [dana.id],
      bot: 'administrator',
    });
    const world = await startBridgeWorld({
      definition: bridge,
      network: { bot_token: sim.token, api_root: sim.apiRoot, poll_timeout_seconds: 5 },
    });
    await world.startBridge();
    const alice = await MatrixTestUser.register(world.synapse, 'alice', { displayName: 'Alice' });
    // Dana, the chat's creator, approves bridging it (required by default).
    const approval = sim.asUser(dana.id).send(chat.id, '/bridge');
    await sim.waitForMessage(
      chat.id,
      (m) =>
        m.from?.id === sim.bot.id &&
        'reply_to_message' in m &&
        m.reply_to_message?.message_id === approval.message_id,
    );
    const alias = `#telegram_${chat.id}:${world.synapse.serverName}`;
    const roomId = await alice.joinRoom(alias);
    const driver = new TelegramConformanceDriver(sim, chat.id, dana.id, alias);
    return { sim, world, alice, driver, matrixUser: alice, roomId };
  },
  async teardown({ sim, world, alice }: TelegramEnvironment): Promise<void> {
    await alice.stop();
    await world.stop();
    await sim.stop();
  },
};
