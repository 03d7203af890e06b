/**
 * The names guild members go by (user name, global name, nickname), per guild, so a Matrix user
 * cannot post through the webhook under a member's name. Read from raw gateway payloads because
 * discord.js's member cache is bounded; names are never dropped (a departed member's name stays
 * taken, which errs on the safe side).
 */
import { GatewayDispatchEvents, type Client, type GatewayDispatchPayload } from 'discord.js';

interface MemberPayload {
  nick?: string | null;
  user?: { username: string; global_name?: string | null };
}

export class MemberNames {
  private readonly byGuild = new Map<string, Set<string>>();

  /** Start collecting names from the client's gateway traffic. */
  attach(client: Client): void {
    client.on('raw', (packet: GatewayDispatchPayload) => this.onPacket(packet));
  }

  /** True when some member of the guild goes by `name` (case-insensitively). */
  has(guildId: string, name: string): boolean {
    return this.byGuild.get(guildId)?.has(name.toLowerCase()) ?? false;
  }

  /** Record a member's names (also used for members the bridge fetched itself). */
  add(guildId: string, member: MemberPayload): void {
    let names = this.byGuild.get(guildId);
    if (!names) this.byGuild.set(guildId, (names = new Set()));
    for (const name of [member.nick, member.user?.username, member.user?.global_name])
      if (name) names.add(name.toLowerCase());
  }

  private onPacket(packet: GatewayDispatchPayload): void {
    switch (packet.t) {
      case GatewayDispatchEvents.GuildCreate:
        for (const member of packet.d.members ?? []) this.add(packet.d.id, member);
        break;
      case GatewayDispatchEvents.GuildMembersChunk:
        for (const member of packet.d.members) this.add(packet.d.guild_id, member);
        break;
      case GatewayDispatchEvents.GuildMemberAdd:
      case GatewayDispatchEvents.GuildMemberUpdate:
        this.add(packet.d.guild_id, packet.d);
        break;
      case GatewayDispatchEvents.MessageCreate:
        if (packet.d.guild_id && packet.d.member && !packet.d.webhook_id)
          this.add(packet.d.guild_id, { ...packet.d.member, user: packet.d.author });
        break;
      default:
        break;
    }
  }
}
