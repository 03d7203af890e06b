import type { BridgeConfig } from './bridge-config-schema';
import type { Problem } from './problems';

/** Rules that span several keys, checked once every key is individually valid. */
export function crossCheckConfig(config: BridgeConfig): Problem[] {
  const problems: Problem[] = [];
  if (config.database.engine === 'postgres' && !config.database.url) {
    problems.push({ key: 'database.url', message: 'required when database.engine is "postgres"' });
  }
  const { initial_backoff_ms, max_backoff_ms } = config.bridge.delivery;
  if (initial_backoff_ms > max_backoff_ms) {
    problems.push({
      key: 'bridge.delivery.initial_backoff_ms',
      message: `must not exceed bridge.delivery.max_backoff_ms (${initial_backoff_ms} > ${max_backoff_ms})`,
    });
  }
  const media = config.bridge.public_media;
  if (media.enabled && !media.external_url)
    problems.push({
      key: 'bridge.public_media.external_url',
      message: 'required when public_media is enabled',
    });
  if (media.enabled && !media.signing_key)
    problems.push({
      key: 'bridge.public_media.signing_key',
      message: 'required when public_media is enabled',
    });
  if (config.metrics.enabled && config.metrics.port === config.appservice.port) {
    problems.push({
      key: 'metrics.port',
      message: `must differ from appservice.port (both are ${config.appservice.port})`,
    });
  }
  return problems;
}
