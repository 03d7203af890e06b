/**
 * A Discord test world: the Discord simulator with one guild, a real Synapse, and the Discord bridge
 * (in this process) configured against the simulator. Shared by the end-to-end and conformance suites.
 */
import { bridge, type DiscordConfig } from '@trestle/discord';
import {
  DiscordSimulator,
  startBridgeWorld,
  type BridgeWorld,
  type DiscordChannelRecord,
  type DiscordGuildRecord,
  type DiscordUserRecord,
} from '@trestle/testkit';

export interface DiscordBridgeWorld {
  sim: DiscordSimulator;
  world: BridgeWorld;
  guild: DiscordGuildRecord;
  /** A text channel with a topic, bridged through its alias by the suites. */
  general: DiscordChannelRecord;
  /** A Discord member with a per-guild nickname and an avatar. */
  dana: DiscordUserRecord;
  domain: string;
  /** `#_discord_<guild>_<channel>:<domain>`. */
  aliasOf(channel: DiscordChannelRecord): string;
  /** The ghost of a Discord user. */
  ghostOf(user: DiscordUserRecord): string;
  stop(): Promise<void>;
}

export async function startDiscordBridgeWorld(
  network: Partial<DiscordConfig> = {},
): Promise<DiscordBridgeWorld> {
  const sim = await DiscordSimulator.start();
  const guild = sim.createGuild({ name: 'Trestle Guild' });
  const general = sim.createChannel(guild.id, { name: 'general', topic: 'General chat' });
  const dana = sim.addMember(guild.id, {
    username: 'dana',
    globalName: 'Dana',
    nick: 'Dana on Discord',
    avatar: Buffer.from('dana-avatar-bytes'),
  });
  const world = await startBridgeWorld({
    definition: bridge,
    network: { botToken: sim.token, apiUrl: sim.apiUrl, cdnUrl: sim.baseUrl, ...network },
  });
  await world.startBridge();
  const domain = world.synapse.serverName;
  return {
    sim,
    world,
    guild,
    general,
    dana,
    domain,
    aliasOf: (channel) => `#_discord_${channel.guildId}_${channel.id}:${domain}`,
    ghostOf: (user) => `@_discord_${user.id}:${domain}`,
    async stop() {
      await world.stop();
      await sim.stop();
    },
  };
}
