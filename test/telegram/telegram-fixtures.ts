/** Telegram fixtures for connector tests against the simulator (the fake core is FakeBridgeContext in the testkit). */
import type { Portal } from '@trestle/core';
import type { TelegramConfig } from '@trestle/telegram';

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
