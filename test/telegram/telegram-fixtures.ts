/** Telegram fixtures for connector tests against the simulator (the fake core is FakeBridgeContext in the testkit). */
import type { Portal } from '@trestle/core';
import type { TelegramConfig } from '@trestle/telegram';

export function telegramConfig(token: string, apiRoot: string): TelegramConfig {
  return {
    bot_token: token,
    api_root: apiRoot,
    relay: { name_format: '<b>$NAME</b>: ', emote_format: '* $NAME ' },
    link_approval: 'none',
    allowed_chats: [],
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
