/**
 * What changed in a guild while the bridge was down, caught up when it starts: the guild's space
 * (name, description, icon), the names of its portals that carry the guild's name, their avatars
 * (the guild's icon) and the member lists of its portals. Discord only tells a starting bot how a
 * guild is now, so the name and icon the bridge last saw each guild with are kept in the store: they
 * tell which portal names are the old one, and whether the portals' avatars are out of date.
 */
import { Events, type Client, type Guild } from 'discord.js';
import type { BridgeContext } from '@trestle/core';
import type { DiscordConfig } from '../config';
import { guildQueue, type DiscordInbound } from './inbound';
import type { GuildMembers } from './guild-members';

/** kv namespace of the name each guild had when the bridge last saw it. */
export const GUILD_NAME_NAMESPACE = 'discord.guild-name';
/** kv namespace of the icon hash each guild had when the bridge last saw it (`''`: none). */
export const GUILD_ICON_NAMESPACE = 'discord.guild-icon';

export class GuildCatchUp {
  constructor(
    private readonly client: Client<true>,
    private readonly ctx: BridgeContext<DiscordConfig>,
    private readonly inbound: DiscordInbound,
    private readonly members: GuildMembers,
  ) {}

  /** Keep the remembered names current while running: guilds the bot joins, and renames. */
  attach(): void {
    this.client.on(Events.GuildCreate, (guild) => this.remember(guild));
    this.client.on(Events.GuildUpdate, (_old, guild) => this.remember(guild));
  }

  /** Catch up every guild the bot is in, in the background, each behind its own queue. */
  run(): void {
    for (const guild of this.client.guilds.cache.values()) {
      if (!this.inbound.inAllowedGuild(guild.id)) continue;
      this.inbound.refreshSpace(guild);
      this.inbound.inOrder(guildQueue(guild.id), async () => {
        const oldName = await this.ctx.kv.get<string>(GUILD_NAME_NAMESPACE, guild.id);
        if (oldName !== undefined && oldName !== guild.name) this.inbound.renamePortals(guild, oldName);
        // Portals made before the bridge knew icons have none yet: they get the guild's.
        const oldIcon = await this.ctx.kv.get<string>(GUILD_ICON_NAMESPACE, guild.id);
        if ((oldIcon ?? '') !== (guild.icon ?? '')) this.inbound.refreshPortalAvatars(guild);
        await this.ctx.kv.set(GUILD_NAME_NAMESPACE, guild.id, guild.name);
        await this.ctx.kv.set(GUILD_ICON_NAMESPACE, guild.id, guild.icon ?? '');
        await this.members.catchUp(guild).catch((err: unknown) =>
          this.ctx.log.warn('discord member lists not caught up', {
            network: 'discord',
            guild: guild.id,
            err,
          }),
        );
      });
    }
  }

  private remember(guild: Guild): void {
    if (!this.inbound.inAllowedGuild(guild.id)) return;
    this.inbound.inOrder(guildQueue(guild.id), async () => {
      await this.ctx.kv.set(GUILD_NAME_NAMESPACE, guild.id, guild.name);
      await this.ctx.kv.set(GUILD_ICON_NAMESPACE, guild.id, guild.icon ?? '');
    });
  }
}
