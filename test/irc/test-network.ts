/** The bridge's config for the IRC network an e2e suite runs against. */
import type { IrcNetworkConfig } from '@trestle/irc';

/** A network's settings as written in the config: the schema fills in whatever is left out. */
type NetworkSettings = SettingsOf<IrcNetworkConfig>;
type SettingsOf<T> = { [K in keyof T]?: T[K] extends object ? SettingsOf<T[K]> : T[K] };

/**
 * The network `test` at `server` over plain text, with `settings` (the suite's own: bot nick, relay,
 * virtual users, TLS, passwords, …) merged over it. Flood control is lifted from the default 2 lines a
 * second so it never holds a line back: the suites send bursts (joins, relayed messages, commands) and wait
 * for each line with short timeouts. The rate limit itself is covered by the token-bucket and send-queue
 * unit tests.
 */
export function testNetwork(
  server: { host: string; port: number },
  settings: NetworkSettings,
): NetworkSettings {
  return {
    name: 'test',
    host: server.host,
    port: server.port,
    tls: false,
    floodControl: { linesPerSecond: 100, burst: 100 },
    ...settings,
  };
}
