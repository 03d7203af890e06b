/**
 * The names guild members go by (user name, global name, nickname), per guild, so that a Matrix
 * user cannot post through the webhook under a member's name (`webhook-identity.ts`).
 *
 * Discord does not tell a bot without the Presence intent (the bridge does not ask for it) who is
 * in a guild when it connects: GUILD_CREATE holds only the bot and members in voice channels. The
 * names come from the guild's member listing instead (`GuildMembers.catchUp`, at start and
 * when the bot joins a guild), and follow the guild from then on through raw gateway events, as
 * discord.js's member cache is bounded: joins, profile changes and leaves (Server Members intent),
 * and the authors of messages.
 *
 * Until a guild has been listed, and in a guild with more members than `network.maxGuildMembers`
 * (which is not listed), any name may be a member's: {@link MemberNames.has} says so for every
 * name, and Matrix users' names there carry their Matrix id.
 */
import {
  GatewayDispatchEvents,
  type Client,
  type GatewayDispatchPayload,
  type Guild,
  type GuildMember,
} from 'discord.js';

interface MemberPayload {
  nick?: string | null;
  user?: { id: string; username: string; global_name?: string | null };
}

/** What is known of one guild's names. Memory: each member's names, lowercased, and a count per name. */
class GuildNames {
  /** True once the guild has been listed: from then on a name nobody holds is free. */
  listed = false;
  /** Member id -> the names they go by. */
  private readonly ofMember = new Map<string, string[]>();
  /** Name -> how many members go by it. */
  private readonly holders = new Map<string, number>();

  has(lowercased: string): boolean {
    return this.holders.has(lowercased);
  }

  get size(): number {
    return this.ofMember.size;
  }

  /**
   * `names` are the member's now; with `keep`, the ones known before stay too (a listed page can be
   * older than an event that came in while it was on its way).
   */
  set(memberId: string, names: Array<string | null | undefined>, keep = false): void {
    const fresh = new Set<string>(keep ? this.ofMember.get(memberId) : []);
    for (const name of names) if (name) fresh.add(name.toLowerCase());
    this.remove(memberId);
    this.ofMember.set(memberId, [...fresh]);
    for (const name of fresh) this.holders.set(name, (this.holders.get(name) ?? 0) + 1);
  }

  remove(memberId: string): void {
    for (const name of this.ofMember.get(memberId) ?? []) {
      const left = (this.holders.get(name) ?? 1) - 1;
      if (left > 0) this.holders.set(name, left);
      else this.holders.delete(name);
    }
    this.ofMember.delete(memberId);
  }
}

export class MemberNames {
  /** Guilds being listed or listed; a guild too big to list has no entry. */
  private readonly byGuild = new Map<string, GuildNames>();

  /** `maxMembers`: `network.maxGuildMembers`; a guild that grows past it stops being followed. */
  constructor(private readonly maxMembers: number) {}

  /** Start following the client's gateway traffic. */
  attach(client: Client): void {
    client.on('raw', (packet: GatewayDispatchPayload) => this.onPacket(packet));
  }

  /**
   * True when some member of the guild may go by `name` (case-insensitively): one does, or the
   * guild's names are not known (not listed yet, or too big to list). Runs for every message from
   * Matrix: a lookup in a map.
   */
  has(guildId: string, name: string): boolean {
    const guild = this.byGuild.get(guildId);
    return !guild?.listed || guild.has(name.toLowerCase());
  }

  /**
   * The guild is about to be listed: member events count from now on (what happened before is in
   * the listing), and the bot's own names are taken (the listing leaves the bot out).
   */
  listingStarted(guild: Guild): void {
    let names = this.byGuild.get(guild.id);
    if (!names) this.byGuild.set(guild.id, (names = new GuildNames()));
    const me = guild.members.me;
    const bot = guild.client.user;
    names.set(bot.id, [me?.nickname, bot.username, bot.globalName]);
  }

  /** A member from the listing. */
  listed(guildId: string, member: GuildMember): void {
    this.byGuild.get(guildId)?.set(member.id, namesOf(member), true);
  }

  /** The whole guild has been listed: its names are known. */
  listingDone(guildId: string): void {
    const names = this.byGuild.get(guildId);
    if (names) names.listed = true;
  }

  /** The guild has more members than the bridge lists: its names stay unknown, and nothing is kept. */
  tooBig(guildId: string): void {
    this.byGuild.delete(guildId);
  }

  private onPacket(packet: GatewayDispatchPayload): void {
    switch (packet.t) {
      case GatewayDispatchEvents.GuildMemberAdd:
      case GatewayDispatchEvents.GuildMemberUpdate:
        this.member(packet.d.guild_id, packet.d);
        break;
      case GatewayDispatchEvents.GuildMembersChunk:
        for (const member of packet.d.members) this.member(packet.d.guild_id, member);
        break;
      case GatewayDispatchEvents.MessageCreate:
        if (packet.d.guild_id && packet.d.member && !packet.d.webhook_id)
          this.member(packet.d.guild_id, { ...packet.d.member, user: packet.d.author });
        break;
      case GatewayDispatchEvents.GuildMemberRemove:
        this.byGuild.get(packet.d.guild_id)?.remove(packet.d.user.id);
        break;
      case GatewayDispatchEvents.GuildDelete:
        // The bot left the guild (or was removed); an outage only makes it unavailable for a while.
        if (!packet.d.unavailable) this.byGuild.delete(packet.d.id);
        break;
      default:
        break;
    }
  }

  private member(guildId: string, member: MemberPayload): void {
    const names = this.byGuild.get(guildId);
    if (!names || !member.user) return;
    names.set(member.user.id, [member.nick, member.user.username, member.user.global_name]);
    // Past the cap (the bot and `maxMembers` others) the guild is no longer followed, as it would not be listed.
    if (names.size > this.maxMembers + 1) this.tooBig(guildId);
  }
}

function namesOf(member: GuildMember): Array<string | null> {
  return [member.nickname, member.user.username, member.user.globalName];
}
