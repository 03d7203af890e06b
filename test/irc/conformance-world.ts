/**
 * The IRC conformance world: real Synapse, real InspIRCd, relay mode, one IRC user and one Matrix user in
 * the bridged channel. Shared by the conformance suite and the latency bench (test/bench/bridge-latency.ts).
 */
import { bridge } from '@trestle/irc';
import {
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type RunningIrcServer,
} from '@trestle/testkit';
import type { ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { IrcConformanceDriver } from './irc-conformance-driver';
import { testNetwork } from './test-network';

export interface IrcEnvironment extends ConformanceEnvironment {
  world: BridgeWorld;
  ircd: RunningIrcServer;
  ircUser: IrcTestUser;
  user: MatrixTestUser;
}

const BOT = 'TrestleBot';

export const ircConformanceWorld = {
  async setup(): Promise<IrcEnvironment> {
    const ircd = await startInspircd();
    const ircUser = await IrcTestUser.connect({
      host: ircd.host,
      port: ircd.port,
      nick: 'ircer',
      echoMessage: true,
    });
    await ircUser.join('#conformance');
    const world = await startBridgeWorld({
      definition: bridge,
      network: {
        networks: [testNetwork(ircd, { botNick: BOT, relay: { enabled: true } })],
      },
    });
    await world.startBridge();
    const user = await MatrixTestUser.register(world.synapse, 'conformer', { displayName: 'Conformer' });
    const driver = new IrcConformanceDriver(ircUser, 'test', '#conformance', BOT);
    const roomId = await user.joinRoom(`${driver.portalAlias()}:${world.synapse.serverName}`);
    return { world, ircd, ircUser, user, driver, matrixUser: user, roomId };
  },
  async teardown({ world, ircd, ircUser, user }: IrcEnvironment): Promise<void> {
    await user.stop();
    await ircUser.quit();
    await world.stop();
    await ircd.stop();
  },
};
