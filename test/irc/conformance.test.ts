/** The conformance scenarios against the IRC bridge: real Synapse, real InspIRCd, relay mode. */
import { defineConformanceSuite } from '../../packages/testkit/src/conformance';
import { ircConformanceWorld, type IrcEnvironment } from './conformance-world';

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
  ...ircConformanceWorld,
});
