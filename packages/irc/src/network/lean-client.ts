import type { Client } from 'irc-framework';

/**
 * Trim what irc-framework keeps and does per client, which a thousand virtual users multiply:
 *
 * - it fills a ~120-entry command table per client, although every entry is the same module-level
 *   function; with a thousand virtual users that is megabytes of identical tables, the largest
 *   share of an idle connection's JS heap. Nothing adds handlers per client, so one serves all;
 * - it re-emits every line read or written (`raw`) and its debug text (`debug`) from the
 *   connection onto the client, copying the arguments each time. The bridge listens to neither.
 */
export function leanClient(client: Client): void {
  sharedCommandTable ??= client.command_handler.handlers;
  client.command_handler.handlers = sharedCommandTable;
  client.connection.removeAllListeners('raw');
  client.connection.removeAllListeners('debug');
}

let sharedCommandTable: Client['command_handler']['handlers'] | undefined;
