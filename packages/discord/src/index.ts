/** @trestle/discord — the Discord connector for Trestle, on discord.js. */
export { bridge } from './discord-bridge';
export { createDiscordConnector, DiscordConnector, DiscordLinkError } from './connector/discord-connector';
export { MissingIntentError } from './connector/intents';
export { DiscordConfigSchema, DiscordMentionPolicySchema, type DiscordConfig } from './config';
export * from './format';
