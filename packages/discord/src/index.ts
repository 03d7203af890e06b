/** @trestle/discord — the Discord connector for Trestle, on discord.js. */
export { bridge } from './discord-bridge';
export {
  createDiscordConnector,
  DiscordConnector,
  DiscordLinkError,
  type DiscordConnectorOptions,
} from './connector/discord-connector';
export type { ListingRetry } from './connector/guild-catch-up';
export { MissingIntentError } from './connector/intents';
export { DiscordConfigSchema, DiscordMentionPolicySchema, type DiscordConfig } from './config';
export * from './format';
