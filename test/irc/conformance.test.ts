/** The conformance scenarios against the IRC bridge: real Synapse, real InspIRCd, relay mode. */
import { bridge } from '@trestle/irc';
import {
  IrcTestUser,
  MatrixTestUser,
  startBridgeWorld,
  startInspircd,
  type BridgeWorld,
  type RunningIrcServer,
} from '@trestle/testkit';
import { defineConformanceSuite, type ConformanceEnvironment } from '../../packages/testkit/src/conformance';
import { IrcConformanceDriver } from './irc-conformance-driver';

interface IrcEnvironment extends ConformanceEnvironment {
  world: BridgeWorld;
  ircd: RunningIrcServer;
  ircUser: IrcTestUser;
  user: MatrixTestUser;
}

const BOT = 'TrestleBot';
const noFiles =
  'IRC carries no files: with bridge.public_media a Matrix file is posted as a signed link (test/irc/irc-features.test.ts), else by name; IRC links stay links';

defineConformanceSuite<IrcEnvironment>({
  name: 'irc',
  displayName: 'IRC',
  capabilities: {
    text: true,
    formatting: true,
    emote: true,
    notice: true,
    reply: true,
    edit: {
      matrixToRemote: false,
      remoteToMatrix: false,
      reason: 'IRC has no edits: a Matrix edit is sent as a "* correction:" line',
    },
    redaction: { matrixToRemote: false, remoteToMatrix: false, reason: 'IRC has no deletions' },
    reaction: true,
    image: { matrixToRemote: false, remoteToMatrix: false, reason: noFiles },
  },
  async setup() {
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
        networks: [
          {
            name: 'test',
            host: ircd.host,
            port: ircd.port,
            tls: false,
            botNick: BOT,
            relay: { enabled: true },
            floodControl: { linesPerSecond: 100, burst: 100 },
          },
        ],
      },
    });
    await world.startBridge();
    const user = await MatrixTestUser.register(world.synapse, 'conformer', { displayName: 'Conformer' });
    const driver = new IrcConformanceDriver(ircUser, 'test', '#conformance', BOT);
    const roomId = await user.joinRoom(`${driver.portalAlias()}:${world.synapse.serverName}`);
    return { world, ircd, ircUser, user, driver, matrixUser: user, roomId };
  },
  async teardown({ world, ircd, ircUser, user }) {
    await user.stop();
    await ircUser.quit();
    await world.stop();
    await ircd.stop();
  },
});
