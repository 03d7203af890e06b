/** Discord markdown <-> the core's rich-text IR. */
export { discordToIr, DISCORD_CDN, type DiscordToIrOptions } from './discord-to-ir';
export { irToDiscord, type IrToDiscordOptions } from './ir-to-discord';
export { escapeDiscordText, neutraliseMassMentions } from './escape';
export type { DiscordNameResolver } from './name-resolver';
