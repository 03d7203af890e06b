/** Helpers for suites that open one bridge connection (the bot's) directly against a test server. */
import { createLogger, type Logger } from '@trestle/core';
import { IrcConnection, NetworkSchema, type IrcNetworkConfig } from '@trestle/irc';
import { Value } from '@sinclair/typebox/value';

/** A network config as the bridge reads it (schema defaults applied) with a fresh bot nick. */
export function ircNetworkConfig(
  fields: Partial<IrcNetworkConfig> & Pick<IrcNetworkConfig, 'host' | 'port'>,
): IrcNetworkConfig {
  return Value.Default(NetworkSchema, {
    name: 'test',
    botNick: `probe${Math.floor(Math.random() * 1e5)}`,
    ...fields,
  }) as IrcNetworkConfig;
}

/**
 * Connect one bot connection with `config`, then run `whileConnected`; resolves with the error
 * the connection failed with, if any. The connection is always stopped.
 */
export async function tryConnect(
  config: IrcNetworkConfig,
  options: { log?: Logger; whileConnected?: (connection: IrcConnection) => Promise<void> } = {},
): Promise<Error | undefined> {
  const log = options.log ?? createLogger('error', () => undefined);
  const connection = new IrcConnection(config, log, () => undefined);
  try {
    await connection.connect(8000);
    await options.whileConnected?.(connection);
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await connection.stop();
  }
}
