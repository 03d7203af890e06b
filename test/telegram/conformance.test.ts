/**
 * The shared conformance scenarios against the Telegram bridge: real Synapse, the bridge in-process,
 * the Bot API simulator. Results go to test/conformance-results/telegram.json for the feature matrix.
 */
import { bridge } from '@trestle/telegram';
import {
  MatrixTestUser,
  startBridgeWorld,
  TelegramConformanceDriver,
  TelegramSimulator,
  type BridgeWorld,
} from '@trestle/testkit';
import { defineConformanceSuite, type ConformanceEnvironment } from '../../packages/testkit/src/conformance';

interface TelegramEnvironment extends ConformanceEnvironment {
  sim: TelegramSimulator;
  world: BridgeWorld;
  alice: MatrixTestUser;
}

const noDeletions = 'the Bot API sends bots no deletion updates';

defineConformanceSuite<TelegramEnvironment>({
  name: 'telegram',
  displayName: 'Telegram',
  capabilities: {
    text: true,
    formatting: true,
    emote: { matrixToRemote: true, remoteToMatrix: false, reason: 'Telegram has no /me actions' },
    notice: {
      matrixToRemote: false,
      remoteToMatrix: false,
      reason: 'Telegram has no notice messages; Matrix notices are relayed as ordinary messages',
    },
    reply: true,
    edit: true,
    redaction: { matrixToRemote: true, remoteToMatrix: false, reason: noDeletions },
    reaction: true,
    image: true,
  },
  async setup() {
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
  async teardown({ sim, world, alice }) {
    await alice.stop();
    await world.stop();
    await sim.stop();
  },
});
