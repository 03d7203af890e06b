/** The Discord simulator: REST + Gateway + CDN on loopback, for tests driven by the real discord.js. */
export {
  DiscordSimulator,
  type DiscordSimulatorOptions,
  type NewMember as NewDiscordMember,
} from './simulator';
export { DiscordUserDriver, type SendOptions as DiscordSendOptions } from './user-driver';
export {
  PRIVILEGED_INTENTS as DISCORD_PRIVILEGED_INTENTS,
  type GatewayStats as DiscordGatewayStats,
} from './gateway';
export type { InjectedFault as DiscordInjectedFault } from './rest-router';
export type {
  AttachmentRecord as DiscordAttachmentRecord,
  ChannelRecord as DiscordChannelRecord,
  EmojiRecord as DiscordEmojiRecord,
  GuildRecord as DiscordGuildRecord,
  MessageRecord as DiscordMessageRecord,
  RoleRecord as DiscordRoleRecord,
  StickerRecord as DiscordStickerRecord,
  UserRecord as DiscordUserRecord,
} from './records';
export { DISCORD_RATE_LIMITS, type RateLimitPolicy as DiscordRateLimitPolicy } from './rate-limits';
export {
  DISCORD_CHANNEL_EDIT_LIMIT,
  type ChannelEditPolicy as DiscordChannelEditPolicy,
} from './channel-edit-limits';
