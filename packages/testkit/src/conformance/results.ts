import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConformanceDirection, ConformanceFeature } from './capabilities';

/** How one scenario ended for one bridge. */
export type ScenarioStatus = 'passed' | 'failed' | 'unsupported';

export interface ScenarioResult {
  id: string;
  feature: ConformanceFeature;
  direction: ConformanceDirection;
  title: string;
  status: ScenarioStatus;
  durationMs?: number;
  /** Why it failed (first line of the error), or why it is unsupported. */
  detail?: string;
}

/** One bridge's conformance run, as written to `<name>.json`. */
export interface ConformanceResults {
  /** Short network name, also the file name: `irc`, `discord`, `telegram`, `loopback`. */
  name: string;
  /** Column header in the feature matrix. */
  displayName: string;
  finishedAt: string;
  scenarios: ScenarioResult[];
}

/** The repository root (where `pnpm-workspace.yaml` is), or the working directory when not inside one. */
function repositoryRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

/** Where results go: `TRESTLE_CONFORMANCE_OUT` (a directory), else `test/conformance-results/`. */
export function conformanceResultsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRESTLE_CONFORMANCE_OUT
    ? resolve(env.TRESTLE_CONFORMANCE_OUT)
    : join(repositoryRoot(), 'test', 'conformance-results');
}

/** Write one bridge's results as `<dir>/<name>.json`; returns the path. */
export function writeConformanceResults(results: ConformanceResults, dir = conformanceResultsDir()): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${results.name}.json`);
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/** Every results file in `dir`, sorted by display name. */
export function readConformanceResults(dir: string): ConformanceResults[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConformanceResults)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}
