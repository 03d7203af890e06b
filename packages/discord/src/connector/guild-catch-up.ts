/**
 * What changed in a guild while the bridge was down, caught up when it starts: the guild's space
 * (name, description, icon), the names of its portals that carry the guild's name, their avatars
 * (the guild's icon) and the member lists of its portals. Discord only tells a starting bot how a
 * guild is now, so the name and icon the bridge last saw each guild with are kept in the store: they
 * tell which portal names are the old one, and whether the portals' avatars are out of date.
 *
 * The same member listing tells the names the guild's members go by, which Matrix users may not
 * take; a guild the bot joins later is listed then. All of it runs again when the bot had to start
 * a new gateway session (Discord could not resume the old one): the events in between are lost. A
 * listing that fails is tried again later ({@link ListingRetry}), as until it succeeds every Matrix
 * user's name in the guild carries their Matrix id and its portals' member lists are not caught up.
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

/**
 * When a failed member listing is tried again: after `firstMs`, then twice as long each time, up to
 * `maxMs`.
 */
export interface ListingRetry {
  firstMs: number;
  maxMs: number;
}

/** Half a minute, then less and less often, up to every half hour. */
export const LISTING_RETRY: ListingRetry = { firstMs: 30_000, maxMs: 30 * 60_000 };

export class GuildCatchUp {
  private readonly retries = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly client: Client<true>,
    private readonly ctx: BridgeContext<DiscordConfig>,
    private readonly inbound: DiscordInbound,
    private readonly members: GuildMembers,
    private readonly retry: ListingRetry,
  ) {}

  /** Keep the remembered names current while running: guilds the bot joins (listed then), and renames. */
  attach(): void {
    this.client.on(Events.GuildCreate, (guild) => {
      this.remember(guild);
      this.inbound.inOrder(guildQueue(guild.id), () => this.catchUpMembers(guild.id, this.retry.firstMs));
    });
    this.client.on(Events.GuildUpdate, (_old, guild) => this.remember(guild));
    // A new gateway session (after one Discord could not resume): what happened in between is lost.
    this.client.on(Events.ShardReady, () => void this.run());
  }

  /**
   * Catch up every guild the bot is in (at start, and again after a gateway session that could not
   * be resumed), in the background, each behind its own queue. Resolves once
   * each guild's members have been listed (or the listing failed): until then Matrix users' names
   * carry their Matrix id.
   */
  run(): Promise<void> {
    const listed: Array<Promise<void>> = [];
    for (const guild of this.client.guilds.cache.values()) {
      if (!this.inbound.inAllowedGuild(guild.id)) continue;
      this.inbound.refreshSpace(guild);
      listed.push(
        new Promise((resolve) =>
          this.inbound.inOrder(guildQueue(guild.id), () => this.catchUp(guild).finally(resolve)),
        ),
      );
    }
    return Promise.all(listed).then(() => undefined);
  }

  /** Stop trying failed listings again. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }

  /** {@link GuildMembers.catchUp}, tried again after `retryMs` if it fails. */
  private async catchUpMembers(guildId: string, retryMs: number): Promise<void> {
    // Looked up now: a retry may come after the bot left the guild.
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return;
    try {
      await this.members.catchUp(guild);
    } catch (err) {
      if (this.stopped) return;
      this.ctx.log.warn(
        'discord guild members not listed: member lists not caught up, Matrix names there carry the Matrix id',
        { network: 'discord', guild: guildId, retryInMs: retryMs, err },
      );
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.inbound.inOrder(guildQueue(guildId), () =>
          this.catchUpMembers(guildId, Math.min(retryMs * 2, this.retry.maxMs)),
        );
      }, retryMs);
      timer.unref();
      this.retries.add(timer);
    }
  }

  private async catchUp(guild: Guild): Promise<void> {
    const oldName = await this.ctx.kv.get<string>(GUILD_NAME_NAMESPACE, guild.id);
    if (oldName !== undefined && oldName !== guild.name) this.inbound.renamePortals(guild, oldName);
    // Portals made before the bridge knew icons have none yet: they get the guild's.
    const oldIcon = await this.ctx.kv.get<string>(GUILD_ICON_NAMESPACE, guild.id);
    if ((oldIcon ?? '') !== (guild.icon ?? '')) this.inbound.refreshPortalAvatars(guild);
    await this.ctx.kv.set(GUILD_NAME_NAMESPACE, guild.id, guild.name);
    await this.ctx.kv.set(GUILD_ICON_NAMESPACE, guild.id, guild.icon ?? '');
    await this.catchUpMembers(guild.id, this.retry.firstMs);
  }

  private remember(guild: Guild): void {
    if (!this.inbound.inAllowedGuild(guild.id)) return;
    this.inbound.inOrder(guildQueue(guild.id), async () => {
      await this.ctx.kv.set(GUILD_NAME_NAMESPACE, guild.id, guild.name);
      await this.ctx.kv.set(GUILD_ICON_NAMESPACE, guild.id, guild.icon ?? '');
    });
  }
}
