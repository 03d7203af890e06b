/** Values each bridge chooses for itself; an admin's config overrides them. */
export interface BridgeDefaults {
  /** Port the appservice listens on (default 9000). */
  port?: number;
  /** Port of the health/metrics HTTP server (default: appservice port + 1). */
  metrics_port?: number;
  /** Localpart of the bridge bot (default `<network>bot`). */
  bot_username?: string;
  /** Localpart prefix of ghost users (default `<network>_`). */
  user_prefix?: string;
  /** Localpart prefix of portal aliases (default `<network>_`). */
  alias_prefix?: string;
  /** Prefix of bot commands in portal rooms (default `!<network>`). */
  command_prefix?: string;
}

/** What the core needs to know about a bridge to build its config schema. */
export interface BridgeConfigOptions {
  /** Short lowercase network name ("irc"); it seeds the defaults and the registration's `protocols`. */
  network: string;
  /** Per-bridge defaults; anything left out is derived from `network`. */
  defaults?: BridgeDefaults;
}

/** Every default settled, from the bridge's choices and its network name. */
export type ResolvedBridgeDefaults = Required<BridgeDefaults>;

/** Fill in the defaults a bridge did not choose. */
export function resolveBridgeDefaults(options: BridgeConfigOptions): ResolvedBridgeDefaults {
  const { network, defaults = {} } = options;
  const port = defaults.port ?? 9000;
  return {
    port,
    metrics_port: defaults.metrics_port ?? port + 1,
    bot_username: defaults.bot_username ?? `${network}bot`,
    user_prefix: defaults.user_prefix ?? `${network}_`,
    alias_prefix: defaults.alias_prefix ?? `${network}_`,
    command_prefix: defaults.command_prefix ?? `!${network}`,
  };
}
