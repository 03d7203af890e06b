import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNAPSE_FILES } from './homeserver-config';

function lastLines(path: string, count: number): string[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count);
}

/**
 * The last lines Synapse wrote: its log file, then its console output (where config errors and
 * Python tracebacks land before logging is set up).
 */
export function readSynapseLogTail(dataDir: string, count = 40): string {
  const log = lastLines(join(dataDir, SYNAPSE_FILES.log), count);
  const console = lastLines(join(dataDir, SYNAPSE_FILES.console), count);
  const parts: string[] = [];
  if (log.length > 0) parts.push(`[${SYNAPSE_FILES.log}]`, ...log);
  if (console.length > 0) parts.push(`[${SYNAPSE_FILES.console}]`, ...console);
  return parts.length > 0 ? parts.join('\n') : '(Synapse wrote nothing)';
}
