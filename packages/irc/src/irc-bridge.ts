/** The IRC bridge definition: what `trestle irc start` runs. Its `network:` section is {@link IrcConfigSchema}. */
import { defineBridge } from '@trestle/core';
import { IrcConfigSchema } from './config';
import { IrcConnector } from './irc-connector';

export const bridge = defineBridge({
  network: 'irc',
  networkSchema: IrcConfigSchema,
  defaults: { port: 29310 },
  createConnector: () => new IrcConnector(),
});
