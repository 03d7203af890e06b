/**
 * A server daemon run for a test (InspIRCd, Atheme): in the foreground, in its own process group,
 * as the `irc` user when the tests run as root (both daemons refuse root), killed when the test
 * process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface DaemonProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code when it exits. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export function spawnDaemon(args: readonly string[]): DaemonProcess {
  const isRoot = process.getuid?.() === 0;
  const child = isRoot
    ? spawn('runuser', ['-u', 'irc', '--', ...args], { stdio: 'pipe', detached: true })
    : spawn(args[0]!, args.slice(1), { stdio: 'pipe', detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => killGroup(child);
  process.once('exit', killOnExit);
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try {
    // detached: the child leads its own process group, which holds runuser and the daemon.
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** The last 4,000 characters of a daemon's log file ('' if there is none yet), for start errors. */
export function readLogTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}
