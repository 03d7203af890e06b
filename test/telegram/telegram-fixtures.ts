/**
 * Telegram fixtures for tests against the simulator: connector tests (the fake core is FakeBridgeContext
 * in the testkit) and the bridge as its own process on a real Synapse.
 */
import { resolve } from 'node:path';
import type { Portal } from '@trestle/core';
import { bridge, type TelegramConfig } from '@trestle/telegram';
import { startBridgeWorld, type BridgeWorld, type TelegramSimulator } from '@trestle/testkit';

const MAIN = resolve(__dirname, '../../packages/core/dist/cli/main.js');

/**
 * Synapse with the Telegram bridge registered, the bridge to run as its own process (from `dist/`, so
 * `npx tsc -b` first) against the simulator; `network` adds to or overrides its `network:` section.
 */
export function startTelegramWorld(
  sim: TelegramSimulator,
  network: Record<string, unknown> = {},
): Promise<BridgeWorld> {
  return startBridgeWorld({
    definition: bridge,
    network: { bot_token: sim.token, api_root: sim.apiRoot, poll_timeout_seconds: 5, ...network },
    command: [process.execPath, MAIN, 'telegram', 'start'],
  });
}

/** Telegram's documented flood limits, as the config's defaults have them. */
export const telegramPacing: TelegramConfig['send_pacing'] = {
  enabled: true,
  private_chat: { messages: 1, seconds: 1 },
  group: { messages: 20, seconds: 60 },
  overall: { messages: 30, seconds: 1 },
};

export function telegramConfig(
  token: string,
  apiRoot: string,
  pacing: TelegramConfig['send_pacing'] = telegramPacing,
): TelegramConfig {
  return {
    send_pacing: pacing,
    bot_token: token,
    api_root: apiRoot,
    relay: { name_format: '<b>$NAME</b>: ', emote_format: '* $NAME ' },
    link_approval: 'none',
    allowed_chats: [],
    forum_topics: 'threads',
    poll_timeout_seconds: 1,
  };
}

export function portalFor(chatId: number): Portal {
  return {
    roomId: '!room:example.org',
    chatId: String(chatId),
    kind: 'group',
    plumbed: false,
    settings: {},
    createdAt: 0,
  };
}
