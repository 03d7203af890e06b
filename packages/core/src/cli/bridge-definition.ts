import type { Static, TSchema } from '@sinclair/typebox';
import type { Connector } from '../connector/connector';
import type { BridgeDefaults } from '../config/bridge-options';

/**
 * What a bridge package exports so the `trestle` CLI can run it: its network name, the schema of its
 * `network:` config section, defaults for the core's sections, and a connector factory.
 */
export interface BridgeDefinition<N extends TSchema = TSchema> {
  network: string;
  networkSchema: N;
  defaults?: BridgeDefaults;
  createConnector(config: Static<N>): Connector<Static<N>>;
}

/** Helper that keeps the schema's static type when defining a bridge. */
export function defineBridge<N extends TSchema>(definition: BridgeDefinition<N>): BridgeDefinition<N> {
  return definition;
}
