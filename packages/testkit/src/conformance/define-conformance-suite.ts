import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { supportFor, type ConformanceCapabilities } from './capabilities';
import type { RemoteDriver } from './remote-driver';
import { conformanceResultsDir, writeConformanceResults, type ScenarioResult } from './results';
import { CONFORMANCE_SCENARIOS, type ConformanceMatrixUser } from './scenarios';

/** A bridged chat ready for scenarios: a remote driver, a Matrix user, and the portal room between them. */
export interface ConformanceEnvironment {
  driver: RemoteDriver;
  matrixUser: ConformanceMatrixUser;
  /** The portal room, already joined by `matrixUser`. */
  roomId: string;
}

/** One bridge's conformance suite. */
export interface ConformanceSuiteOptions<E extends ConformanceEnvironment> {
  /** Short network name: the results file name and the key in the feature matrix (`irc`, `discord` …). */
  name: string;
  /** Column header in the feature matrix. Default: `name`. */
  displayName?: string;
  /** What the bridge supports; scenarios for anything else are reported as skipped. */
  capabilities: ConformanceCapabilities;
  /** Start servers and the bridge, link a chat to a room, and join it. Runs once before the scenarios. */
  setup(): Promise<E>;
  /** Stop what `setup` started. */
  teardown?(environment: E): Promise<void>;
  /** How long to wait for one thing to cross the bridge. Default 15 s. */
  waitTimeoutMs?: number;
  /** Time allowed for `setup` and for `teardown`. Default 120 s. */
  setupTimeoutMs?: number;
  /** Directory for the results file. Default: {@link conformanceResultsDir}. */
  resultsDir?: string;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim() !== '') ?? message;
}

/**
 * Register the conformance scenarios for one bridge as Jest tests (call at the top level of a test
 * file). Each declared scenario is an `it`; each undeclared one an `it.skip` whose name gives the
 * reason, so it shows as skipped, not passed. After the run, every scenario's outcome is written to
 * `<resultsDir>/<name>.json` for {@link renderFeatureMatrix}.
 */
export function defineConformanceSuite<E extends ConformanceEnvironment>(
  options: ConformanceSuiteOptions<E>,
): void {
  const displayName = options.displayName ?? options.name;
  const waitTimeoutMs = options.waitTimeoutMs ?? 15_000;
  const setupTimeoutMs = options.setupTimeoutMs ?? 120_000;

  describe(`${displayName} conformance`, () => {
    let environment: E | undefined;
    const results = new Map<string, ScenarioResult>();

    beforeAll(async () => {
      environment = await options.setup();
    }, setupTimeoutMs);

    afterAll(async () => {
      try {
        if (environment) await options.teardown?.(environment);
      } finally {
        writeConformanceResults(
          {
            name: options.name,
            displayName,
            finishedAt: new Date().toISOString(),
            scenarios: CONFORMANCE_SCENARIOS.map(
              (scenario) =>
                results.get(scenario.id) ?? {
                  id: scenario.id,
                  feature: scenario.feature,
                  direction: scenario.direction,
                  title: scenario.title,
                  status: 'failed',
                  detail: 'did not run (setup failed or the run was interrupted)',
                },
            ),
          },
          options.resultsDir ?? conformanceResultsDir(),
        );
      }
    }, setupTimeoutMs);

    for (const scenario of CONFORMANCE_SCENARIOS) {
      const { id, feature, direction, title } = scenario;
      const support = supportFor(options.capabilities, feature, direction);
      if (!support.supported) {
        results.set(id, { id, feature, direction, title, status: 'unsupported', detail: support.reason });
        it.skip(`${title} (not supported: ${support.reason})`, () => undefined);
        continue;
      }
      it(
        title,
        async () => {
          const startedAt = performance.now();
          const durationMs = () => Math.round(performance.now() - startedAt);
          try {
            if (!environment) throw new Error('setup did not complete');
            await scenario.run({ ...environment, timeoutMs: waitTimeoutMs });
            results.set(id, { id, feature, direction, title, status: 'passed', durationMs: durationMs() });
          } catch (error) {
            results.set(id, {
              id,
              feature,
              direction,
              title,
              status: 'failed',
              durationMs: durationMs(),
              detail: firstLine(error),
            });
            throw error;
          }
        },
        waitTimeoutMs * 4,
      );
    }
  });
}
