/**
 * CPU time of the other processes in an IRC bench (the ircd, the null homeserver, the driver), read
 * from /proc, so each figure can be given per CPU-second of the process that spent it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (0 when it is gone). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The pid of the InspIRCd started by the testkit whose log file is `logFile` (its config sits beside it). */
export function inspircdPid(logFile: string): number {
  const dir = dirname(logFile);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline[0]?.endsWith('inspircd') && cmdline.some((arg) => arg.startsWith(dir)))
        return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no inspircd process for ${logFile}`);
}

/** CPU seconds this process used since `since` (from `process.cpuUsage()`). */
export function ownCpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Exit (running the `exit` handlers that stop the ircd and other children) on Ctrl-C or `timeout`. */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}
