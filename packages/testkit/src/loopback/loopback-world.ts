/**
 * The core's test world: a real Synapse, the loopback network, and the loopback bridge as its own process
 * (so tests can SIGKILL and restart it).
 */
import { resolve } from 'node:path';
import { startBridgeWorld, type BridgeWorld } from '../bridge-world/bridge-world';
import { LoopbackNetwork } from './loopback-network';
import { bridge } from './loopback-bridge';

const MAIN = resolve(__dirname, '../../dist/loopback/main.js');

export interface LoopbackWorld extends BridgeWorld {
  network: LoopbackNetwork;
}

export async function startLoopbackWorld(options: { databaseUrl?: string } = {}): Promise<LoopbackWorld> {
  const network = new LoopbackNetwork();
  await network.start();
  const world = await startBridgeWorld({
    definition: bridge,
    network: { url: network.url },
    databaseUrl: options.databaseUrl,
    command: [process.execPath, MAIN, 'loopback', 'start'],
  });
  const stopWorld = world.stop;
  return Object.assign(world, {
    network,
    async stop() {
      await stopWorld();
      await network.stop();
    },
  });
}
