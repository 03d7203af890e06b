import type { Client } from 'irc-framework';

/**
 * irc-framework fills a ~120-entry command table per client, although every entry is the same
 * module-level function; with a thousand virtual users that is megabytes of identical tables, the
 * largest share of an idle connection's JS heap. Nothing adds handlers per client, so one serves all.
 */
let sharedCommandTable: Client['command_handler']['handlers'] | undefined;
export function shareCommandTable(client: Client): void {
  sharedCommandTable ??= client.command_handler.handlers;
  client.command_handler.handlers = sharedCommandTable;
}
