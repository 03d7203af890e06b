import { readConformanceResults, type ConformanceResults, type ScenarioStatus } from './results';
import { CONFORMANCE_SCENARIOS } from './scenarios';

const SYMBOL: Record<ScenarioStatus, string> = { passed: '✅', failed: '❌', unsupported: '—' };
const ARROW = { 'matrix-to-remote': 'Matrix → network', 'remote-to-matrix': 'network → Matrix' } as const;

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown feature matrix from results already read (see {@link renderFeatureMatrix}). */
export function renderFeatureMatrixFrom(runs: readonly ConformanceResults[]): string {
  const lines = [
    '| Scenario | ' + runs.map((run) => escapeCell(run.displayName)).join(' | ') + ' |',
    '| --- | ' + runs.map(() => ':---:').join(' | ') + ' |',
  ];
  const notes: string[] = [];
  for (const scenario of CONFORMANCE_SCENARIOS) {
    const cells = runs.map((run) => {
      const result = run.scenarios.find((r) => r.id === scenario.id);
      if (!result) return '?';
      if (result.status === 'unsupported' && result.detail) {
        notes.push(
          `- ${run.displayName}, ${scenario.feature} (${ARROW[scenario.direction]}): ${result.detail}`,
        );
      }
      return SYMBOL[result.status];
    });
    lines.push(`| ${scenario.feature} (${ARROW[scenario.direction]}) | ${cells.join(' | ')} |`);
  }
  const legend = '✅ passes the conformance test · ❌ fails it · — not supported by the network · ? not run';
  return [
    lines.join('\n'),
    '',
    legend,
    ...(notes.length > 0 ? ['', 'Not supported:', '', ...notes] : []),
    '',
  ].join('\n');
}

/**
 * The feature matrix for `docs/feature-matrix.md`: one row per conformance scenario, one column per
 * results file in `resultsDir` (as written by {@link defineConformanceSuite}).
 */
export function renderFeatureMatrix(resultsDir: string): string {
  return renderFeatureMatrixFrom(readConformanceResults(resultsDir));
}
