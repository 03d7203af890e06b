import { Type, type TSchema } from '@sinclair/typebox';
import { resolveBridgeDefaults, type BridgeConfigOptions } from './bridge-options';
import { appserviceSection, type AppserviceConfig } from './sections/appservice';
import { bridgeSection, type BridgeSectionConfig } from './sections/bridge';
import { databaseSection, type DatabaseConfig } from './sections/database';
import { homeserverSection, type HomeserverConfig } from './sections/homeserver';
import { loggingSection, type LoggingConfig } from './sections/logging';
import { metricsSection, type MetricsConfig } from './sections/metrics';
import { permissionsSection, type PermissionsConfig } from './sections/permissions';

/** A validated bridge config with every default filled in; `network` is the connector's own section. */
export interface BridgeConfig<N = unknown> {
  homeserver: HomeserverConfig;
  appservice: AppserviceConfig;
  database: DatabaseConfig;
  permissions: PermissionsConfig;
  bridge: BridgeSectionConfig;
  metrics: MetricsConfig;
  logging: LoggingConfig;
  network: N;
}

/**
 * The whole config schema of one bridge: the core's sections plus the connector's `network` section.
 * This is the single source of the validator, the editor JSON Schema and the sample config.
 */
export function bridgeConfigSchema(networkSchema: TSchema, options: BridgeConfigOptions) {
  const defaults = resolveBridgeDefaults(options);
  return Type.Object(
    {
      homeserver: homeserverSection(),
      appservice: appserviceSection(options.network, defaults),
      database: databaseSection(),
      permissions: permissionsSection(),
      bridge: bridgeSection(defaults),
      metrics: metricsSection(defaults),
      logging: loggingSection(),
      network: sectionDefaultingToEmpty(networkSchema),
    },
    {
      title: `Trestle ${options.network} bridge config`,
      description: `Configuration of the Trestle ${options.network} bridge.`,
      additionalProperties: false,
    },
  );
}

/** Let an object-shaped network section be left out when all of its keys have defaults. */
function sectionDefaultingToEmpty(schema: TSchema): TSchema {
  if (schema.type !== 'object' || schema.default !== undefined) return schema;
  return { ...schema, default: {} };
}
