/** The shared conformance scenarios against the Discord bridge (simulator + real Synapse). */
import { MatrixTestUser } from '@trestle/testkit';
import { defineConformanceSuite, type ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { startDiscordBridgeWorld, type DiscordBridgeWorld } from './discord-bridge-world';
import { DiscordRemoteDriver } from './discord-remote-driver';

interface DiscordEnvironment extends ConformanceEnvironment {
  world: DiscordBridgeWorld;
  driver: DiscordRemoteDriver;
  matrixUser: MatrixTestUser;
}

defineConformanceSuite<DiscordEnvironment>({
  name: 'discord',
  displayName: 'Discord',
  capabilities: {
    text: true,
    formatting: true,
    emote: {
      matrixToRemote: true,
      remoteToMatrix: false,
      reason: 'Discord /me is only italic text, indistinguishable from an italic message',
    },
    notice: {
      matrixToRemote: false,
      remoteToMatrix: false,
      reason: 'Discord has no notice messages; Matrix notices are sent as ordinary messages',
    },
    reply: true,
    edit: true,
    redaction: true,
    reaction: true,
    image: true,
  },
  async setup() {
    const world = await startDiscordBridgeWorld();
    const matrixUser = await MatrixTestUser.register(world.world.synapse, 'conformer', {
      displayName: 'Conformer',
    });
    const alias = world.aliasOf(world.general);
    const roomId = await matrixUser.joinRoom(alias);
    const driver = new DiscordRemoteDriver(world.sim, world.general.id, world.dana.id, alias);
    return { world, driver, matrixUser, roomId };
  },
  async teardown({ world, driver, matrixUser }) {
    driver.stop();
    await matrixUser.stop();
    await world.stop();
  },
});
