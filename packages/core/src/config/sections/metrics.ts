import { Type, type Static } from '@sinclair/typebox';
import type { ResolvedBridgeDefaults } from '../bridge-options';
import { Port, Section } from '../schema-builders';

/** Schema of the `metrics` section: the health and Prometheus endpoint. */
export function metricsSection(defaults: ResolvedBridgeDefaults) {
  return Section(
    {
      enabled: Type.Boolean({ default: true, description: 'Serve /health and /metrics.' }),
      bind_address: Type.String({
        minLength: 1,
        default: '127.0.0.1',
        description: 'Address the health/metrics server listens on.',
      }),
      port: Port({ default: defaults.metrics_port, description: 'Port of the health/metrics server.' }),
    },
    'Health check (/health) and Prometheus metrics (/metrics) over HTTP.',
  );
}

/** The `metrics` section after validation. */
export type MetricsConfig = Static<ReturnType<typeof metricsSection>>;
