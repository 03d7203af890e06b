/** The Discord bridge definition: what `trestle discord start` runs. */
import { defineBridge } from '@trestle/core';
import { DiscordConfigSchema } from './config';
import { createDiscordConnector } from './connector/discord-connector';

/**
 * Ghosts are `@_discord_<user id>`, portals `#_discord_<guild id>_<channel id>` (the names other
 * Discord bridges use, so admins' namespaces and habits carry over).
 */
export const bridge = defineBridge({
  network: 'discord',
  networkSchema: DiscordConfigSchema,
  defaults: {
    port: 29334,
    bot_username: 'discordbot',
    user_prefix: '_discord_',
    alias_prefix: '_discord_',
    command_prefix: '!discord',
  },
  createConnector: () => createDiscordConnector(),
});
