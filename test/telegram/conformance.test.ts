/**
 * The shared conformance scenarios against the Telegram bridge: real Synapse, the bridge in-process,
 * the Bot API simulator. Results go to test/conformance-results/telegram.json for the feature matrix.
 */
import { defineConformanceSuite } from '../../packages/testkit/src/conformance';
import { telegramConformanceWorld, type TelegramEnvironment } from './conformance-world';

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
  ...telegramConformanceWorld,
});
