/**
 * The Discord conformance world: the simulator driven by the real discord.js, real Synapse, one Discord
 * user and one Matrix user in #general's portal. Shared by the conformance suite and the latency bench
 * (test/bench/bridge-latency.ts).
 */
import { MatrixTestUser } from '@trestle/testkit';
import type { ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { startDiscordBridgeWorld, type DiscordBridgeWorld } from './discord-bridge-world';
import { DiscordRemoteDriver } from './discord-remote-driver';

export interface DiscordEnvironment extends ConformanceEnvironment {
  world: DiscordBridgeWorld;
  driver: DiscordRemoteDriver;
  matrixUser: MatrixTestUser;
}

export const discordConformanceWorld = {
  async setup(): Promise<DiscordEnvironment> {
    const world = await startDiscordBridgeWorld();
    const matrixUser = await MatrixTestUser.register(world.world.synapse, 'conformer', {
      displayName: 'Conformer',
    });
    const alias = world.aliasOf(world.general);
    const roomId = await matrixUser.joinRoom(alias);
    const driver = new DiscordRemoteDriver(world.sim, world.general.id, world.dana.id, alias);
    return { world, driver, matrixUser, roomId };
  },
  async teardown({ world, driver, matrixUser }: DiscordEnvironment): Promise<void> {
    driver.stop();
    await matrixUser.stop();
    await world.stop();
  },
};
