/** @trestle/telegram — the Telegram bridge's connector on telegraf (Bot API). */
export {
  TelegramConnector,
  TelegramChatNotLinkableError,
  createTelegramConnector,
  telegramLimits,
} from './telegram-connector';
export { telegramConfigSchema, type TelegramConfig } from './config';
export { toRemoteSendError } from './telegram-errors';
export { bridge } from './telegram-bridge';
export * from './format';
