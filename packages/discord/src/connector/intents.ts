/**
 * Start-up checks for Discord's privileged intents, the most common reason a Discord bridge
 * "sees nothing": the portal switch for Message Content (or Server Members) is off.
 */
import { ApplicationFlags, GatewayIntentBits } from 'discord.js';

/** Thrown when the bot may not use an intent the bridge needs; the message is the exact fix. */
export class MissingIntentError extends Error {
  constructor(
    readonly intents: string[],
    applicationId: string | undefined,
  ) {
    const where = applicationId
      ? `https://discord.com/developers/applications/${applicationId}/bot`
      : 'https://discord.com/developers/applications -> your application -> Bot';
    super(
      `Discord refused the bot's privileged intents (${intents.join(', ')}). Fix: open ${where}, ` +
        `switch on "${intents.map(portalLabel).join('" and "')}" under Privileged Gateway Intents, save, and restart the bridge` +
        (intents.includes('MessageContent')
          ? ' (or set network.messageContentIntent: false to run without message text).'
          : '.'),
    );
    this.name = 'MissingIntentError';
  }
}

function portalLabel(intent: string): string {
  return intent === 'MessageContent' ? 'Message Content Intent' : 'Server Members Intent';
}

/** The privileged intents the bridge requests that the application's flags do not grant. */
export function missingPrivilegedIntents(flags: number, requested: number): string[] {
  const missing: string[] = [];
  const has = (full: ApplicationFlags, limited: ApplicationFlags) => (flags & (full | limited)) !== 0;
  if (
    requested & GatewayIntentBits.MessageContent &&
    !has(ApplicationFlags.GatewayMessageContent, ApplicationFlags.GatewayMessageContentLimited)
  ) {
    missing.push('MessageContent');
  }
  if (
    requested & GatewayIntentBits.GuildMembers &&
    !has(ApplicationFlags.GatewayGuildMembers, ApplicationFlags.GatewayGuildMembersLimited)
  ) {
    missing.push('GuildMembers');
  }
  return missing;
}

/** The intents the connector asks for. */
export function bridgeIntents(messageContent: boolean): number {
  return (
    GatewayIntentBits.Guilds |
    GatewayIntentBits.GuildMembers |
    GatewayIntentBits.GuildMessages |
    GatewayIntentBits.GuildMessageReactions |
    GatewayIntentBits.GuildMessageTyping |
    (messageContent ? GatewayIntentBits.MessageContent : 0)
  );
}
