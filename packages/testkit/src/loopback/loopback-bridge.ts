/** The loopback bridge definition: what `trestle loopback start` runs. */
import { Type } from '@sinclair/typebox';
import { defineBridge, HttpUrl } from '@trestle/core';
import { LoopbackConnector } from './loopback-connector';

export const loopbackNetworkSchema = Type.Object(
  { url: HttpUrl({ description: 'Base URL of the loopback network (the test process prints it).' }) },
  { description: 'The loopback network this bridge connects to.', additionalProperties: false },
);

export const bridge = defineBridge({
  network: 'loopback',
  networkSchema: loopbackNetworkSchema,
  defaults: { port: 29300 },
  createConnector: () => new LoopbackConnector(),
});
