/**
 * discord.js caches every message, member, user and presence it sees unless told otherwise, which
 * grows without bound on a busy bridge. The bridge needs little of it: messages are read when they
 * arrive (and fetched by id when edited or reacted to from Matrix), and members only for names
 * and avatars, which come with each message.
 */
import { Options, type ClientOptions } from 'discord.js';

/** Members and users kept per guild / in all: enough for the people currently talking. */
const MEMBERS_PER_GUILD = 200;
const USERS = 1000;

export function boundedCaches(): Pick<ClientOptions, 'makeCache' | 'sweepers'> {
  return {
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      ThreadMemberManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      StageInstanceManager: 0,
      GuildScheduledEventManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      AutoModerationRuleManager: 0,
      // The bot's own member must stay: permission checks (Manage Webhooks) read it.
      GuildMemberManager: {
        maxSize: MEMBERS_PER_GUILD,
        keepOverLimit: (member) => member.id === member.client.user.id,
      },
      UserManager: { maxSize: USERS, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
    // Archived threads leave the cache after a while; they are fetched again when used.
    sweepers: Options.DefaultSweeperSettings,
  };
}
