/** The Telegram Bot API simulator (see README.md in this folder for where it is simpler than Telegram). */
export { TelegramSimulator } from './telegram-simulator';
export type { TelegramSimulatorOptions, CreateChatOptions, NewUser } from './telegram-simulator';
export type { UserDriver, UserMedia, UserSendOptions } from './user-driver';
export type { RecordedCall } from './simulator-server';
export { TelegramApiError } from './api-error';
export { TelegramConformanceDriver } from './conformance-driver';
export { telegramFloodLimits, type FloodLimit, type FloodLimitOptions } from './flood-limits';
