/** The conformance scenarios against the loopback reference bridge (real Synapse, bridge as its own process). */
import { MatrixTestUser, startLoopbackWorld, type LoopbackWorld } from '@trestle/testkit';
import { defineConformanceSuite, type ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { LoopbackDriver } from '../../packages/testkit/src/loopback/loopback-driver';

interface LoopbackEnvironment extends ConformanceEnvironment {
  world: LoopbackWorld;
  user: MatrixTestUser;
}

defineConformanceSuite<LoopbackEnvironment>({
  name: 'loopback',
  displayName: 'Loopback (reference)',
  capabilities: {
    text: true,
    formatting: true,
    emote: true,
    notice: true,
    reply: true,
    edit: true,
    redaction: true,
    reaction: true,
    image: true,
  },
  async setup() {
    const world = await startLoopbackWorld();
    await world.startBridge();
    const user = await MatrixTestUser.register(world.synapse, 'conformer', { displayName: 'Conformer' });
    const driver = new LoopbackDriver(world.network, 'conformance');
    const roomId = await user.joinRoom(`${driver.portalAlias()}:${world.synapse.serverName}`);
    return { world, user, driver, matrixUser: user, roomId };
  },
  async teardown({ world, user }) {
    await user.stop();
    await world.stop();
  },
});
