/**
 * Guild membership mirrored in the guild's portals, after they were made (see `chat-members.ts`
 * for the members a new portal starts with):
 *
 * - a member who joins the guild: their ghost joins the portals of the channels they can see, while
 *   the guild is within `network.mirrorGuildMembers` ({@link mirrorCapOf});
 * - a member who leaves, is kicked or is banned (Discord sends GUILD_MEMBER_REMOVE for all three):
 *   their ghost leaves every portal of the guild;
 * - a member whose roles changed: their ghost joins the portals they can now see (within the same
 *   cap) and leaves the ones they no longer can;
 * - at start, what changed while the bridge was down ({@link GuildMembers.catchUp}), from the same
 *   listing that tells {@link MemberNames} the names the guild's members go by (which covers bigger
 *   guilds, up to `network.maxGuildMembers`).
 *
 * These gateway events come only with the privileged Server Members intent, which the bridge
 * requires (it does not start without it). Each change is queued behind the channel's messages.
 */
import {
  Events,
  type Client,
  type Guild,
  type GuildMember,
  type GuildTextBasedChannel,
  type PartialGuildMember,
} from 'discord.js';
import type { BridgeContext, RemoteEvent, RemoteUser } from '@trestle/core';
import type { DiscordConfig } from '../config';
import type { DiscordInbound } from './inbound';
import type { MemberNames } from './member-names';
import { canView, forEachMemberPage, guildWithin, mirrorCapOf, remoteUserOf } from './chat-members';

type Membership = Extract<RemoteEvent, { kind: 'membership' }>['membership'];

/** A listed guild member and the portals they can see (bit `i` for the `i`th portal caught up). */
interface ListedMember {
  user: RemoteUser;
  sees: bigint;
}

export class GuildMembers {
  constructor(
    private readonly client: Client<true>,
    private readonly ctx: BridgeContext<DiscordConfig>,
    private readonly inbound: DiscordInbound,
    private readonly names: MemberNames,
  ) {}

  attach(): void {
    const c = this.client;
    c.on(Events.GuildMemberAdd, (member) => this.onJoin(member));
    c.on(Events.GuildMemberRemove, (member) => this.onLeave(member));
    c.on(Events.GuildMemberUpdate, (old, member) => this.onUpdate(old, member));
  }

  /** Guilds up to this size are listed, for their members' names. */
  private get listCap(): number {
    return this.ctx.config.maxGuildMembers;
  }

  /** Guilds up to this size have their members mirrored in their portals. */
  private get mirrorCap(): number {
    return mirrorCapOf(this.ctx.config);
  }

  private onJoin(member: GuildMember): void {
    if (!this.concerns(member) || !guildWithin(member.guild, this.mirrorCap)) return;
    const user = remoteUserOf(member);
    for (const channel of this.textChannels(member.guild))
      if (canView(channel, member)) this.mirror(channel, user, 'join');
  }

  private onLeave(member: GuildMember | PartialGuildMember): void {
    if (!this.concerns(member)) return;
    // The profile stays as it was: a partial member may not know the name any more.
    for (const channel of this.textChannels(member.guild)) this.mirror(channel, { id: member.id }, 'leave');
  }

  /** Roles decide what a member sees: follow the portals whose visibility changed. */
  private onUpdate(old: GuildMember | PartialGuildMember, member: GuildMember): void {
    if (!this.concerns(member)) return;
    const joins = guildWithin(member.guild, this.mirrorCap);
    const user = remoteUserOf(member);
    for (const channel of this.textChannels(member.guild)) {
      const sees = canView(channel, member);
      // An uncached member's old roles are unknown: bring every portal in line.
      if (!old.partial && canView(channel, old) === sees) continue;
      if (!sees) this.mirror(channel, user, 'leave');
      else if (joins) this.mirror(channel, user, 'join');
    }
  }

  /**
   * List the guild's members, for the names they go by ({@link MemberNames}), and in a guild within
   * the mirror cap bring the member lists of its portals in line with the guild after downtime:
   * ghosts of members who left or can no longer see the channel leave, members who joined or can now
   * see it join. Only there is a portal's member list complete (in a bigger guild a ghost missing
   * from the list may be a member beyond it, or one who spoke). The guild is listed once for all its
   * portals, keeping of each member only who they are, their names and which portals they see.
   */
  async catchUp(guild: Guild): Promise<void> {
    if (!this.inbound.inAllowedGuild(guild.id)) return;
    if (!guildWithin(guild, this.listCap)) {
      this.names.tooBig(guild.id);
      return;
    }
    const portals: GuildTextBasedChannel[] = [];
    if (guildWithin(guild, this.mirrorCap))
      for (const channel of this.textChannels(guild))
        if (await this.ctx.portalForChat(channel.id)) portals.push(channel);
    // Listed now and applied behind each channel's queue: a live change that arrives from here on
    // is queued after the catch-up, and one that arrived before is already in the list.
    const listed: ListedMember[] = [];
    this.names.listingStarted(guild);
    await forEachMemberPage(guild, this.listCap, (page) => {
      for (const member of page) {
        this.names.listed(guild.id, member);
        let sees = 0n;
        portals.forEach((channel, i) => {
          if (canView(channel, member)) sees |= 1n << BigInt(i);
        });
        if (sees !== 0n) listed.push({ user: remoteUserOf(member), sees });
      }
    });
    this.names.listingDone(guild.id);
    portals.forEach((channel, i) =>
      this.inbound.inOrder(channel.id, () => this.reconcile(channel, listed, 1n << BigInt(i))),
    );
  }

  private async reconcile(
    channel: GuildTextBasedChannel,
    listed: ListedMember[],
    bit: bigint,
  ): Promise<void> {
    const inRoom = await this.ctx.portalGhosts?.(channel.id);
    if (!inRoom) return;
    const seeing = listed.filter((m) => (m.sees & bit) !== 0n).map((m) => m.user);
    const staying = new Set(seeing.map((user) => user.id));
    // Ghosts of Discord users only: webhook senders (`webhook:…`) are no members, and stay.
    const gone = inRoom.filter((id) => /^\d+$/.test(id) && !staying.has(id));
    for (const id of gone) await this.emitMembership(channel, { id }, 'leave');
    const present = new Set(inRoom);
    for (const user of seeing) if (!present.has(user.id)) await this.emitMembership(channel, user, 'join');
  }

  /** Members other than the bot, of guilds the bridge may bridge. */
  private concerns(member: GuildMember | PartialGuildMember): boolean {
    return member.id !== this.client.user.id && this.inbound.inAllowedGuild(member.guild.id);
  }

  /** The guild's channels that can be portals (as `resolveAlias` and `prepareLink` accept them). */
  private textChannels(guild: Guild): GuildTextBasedChannel[] {
    return [...guild.channels.cache.values()].filter(
      (c): c is GuildTextBasedChannel => c.isTextBased() && !c.isThread(),
    );
  }

  /** Queue the membership change in the channel's portal, if it has one. */
  private mirror(channel: GuildTextBasedChannel, user: RemoteUser, membership: Membership): void {
    this.inbound.inOrder(channel.id, async () => {
      if (await this.ctx.portalForChat(channel.id)) await this.emitMembership(channel, user, membership);
    });
  }

  private emitMembership(
    channel: GuildTextBasedChannel,
    user: RemoteUser,
    membership: Membership,
  ): Promise<void> {
    return this.ctx.emit({ kind: 'membership', chatId: channel.id, user, membership });
  }
}
