import { randomBytes } from 'node:crypto';
import type { BridgeConfig } from '../config/bridge-config-schema';
import type { BridgeConfigOptions } from '../config/bridge-options';
import { botUserRegex, ghostUserRegex, portalAliasRegex } from './namespaces';
import type { Registration } from './registration';

/** 32 random bytes as hex: long enough that guessing is hopeless, and safe in any YAML or header. */
function randomToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * A fresh registration for a bridge config: new random tokens, exclusive namespaces for the ghosts, the bot
 * and the portal aliases, no rate limits (a bridge speaks for many users), and ephemeral events (typing,
 * receipts, presence) pushed to the bridge.
 */
export function generateRegistration(
  config: BridgeConfig,
  options: Pick<BridgeConfigOptions, 'network'>,
): Registration {
  const { appservice, homeserver } = config;
  return {
    id: appservice.id,
    url: appservice.url,
    as_token: randomToken(),
    hs_token: randomToken(),
    sender_localpart: appservice.bot_username,
    namespaces: {
      users: [
        { exclusive: true, regex: ghostUserRegex(appservice.user_prefix, homeserver.domain) },
        { exclusive: true, regex: botUserRegex(appservice.bot_username, homeserver.domain) },
      ],
      aliases: [{ exclusive: true, regex: portalAliasRegex(appservice.alias_prefix, homeserver.domain) }],
      rooms: [],
    },
    rate_limited: false,
    protocols: [options.network],
    receive_ephemeral: true,
    'de.sorunome.msc2409.push_ephemeral': true,
  };
}
