/** The shared conformance scenarios against the Discord bridge (simulator + real Synapse). */
import { defineConformanceSuite } from '../../packages/testkit/src/conformance';
import { discordConformanceWorld, type DiscordEnvironment } from './conformance-world';

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
  ...discordConformanceWorld,
});
