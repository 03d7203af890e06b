/** Bridge config: one schema that validates YAML, exports JSON Schema and renders the sample config. */
export {
  loadConfig,
  parseConfig,
  validateConfig,
  type LoadConfigOptions,
  type ParseConfigOptions,
} from './load-config';
export { bridgeConfigSchema, type BridgeConfig } from './bridge-config-schema';
export {
  resolveBridgeDefaults,
  type BridgeConfigOptions,
  type BridgeDefaults,
  type ResolvedBridgeDefaults,
} from './bridge-options';
export { ConfigError, formatKeyPath, formatProblems, type Problem } from './problems';
export { checkAgainstSchema, type SchemaCheckResult } from './check-schema';
export { describeExpected, EXPECTED_KEYWORD, EXPECTED_KEY_KEYWORD } from './describe-expected';
export { HttpUrl, PatternString, Port, Section } from './schema-builders';
export { configJsonSchema, type JsonSchemaDocument } from './json-schema';
export { renderSampleConfig } from './sample-config';
export { parseYaml } from './parse-yaml';
export { SecretReference, secretTags, resolveSecrets, type SecretSources } from './yaml-secrets';
export type { HomeserverConfig } from './sections/homeserver';
export type { AppserviceConfig } from './sections/appservice';
export type { DatabaseConfig } from './sections/database';
export type { PermissionsConfig } from './sections/permissions';
export { PermissionLevelSchema } from './sections/permissions';
export type { BridgeSectionConfig } from './sections/bridge';
export type { MetricsConfig } from './sections/metrics';
export type { LoggingConfig } from './sections/logging';
