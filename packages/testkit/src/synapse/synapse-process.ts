import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SynapseStartError } from './errors';
import { SYNAPSE_FILES } from './homeserver-config';
import { readSynapseLogTail } from './log-tail';

/** How to run one Synapse process over an already written data dir. */
export interface SynapseProcessOptions {
  python: string;
  dataDir: string;
  /** Base URL the listener will answer on. */
  url: string;
  startTimeoutMs: number;
}

const POLL_INTERVAL_MS = 50;
const STOP_GRACE_MS = 10_000;

/** One running `synapse.app.homeserver`, killed with the test process if nobody stops it. */
export class SynapseProcess {
  private readonly exited: Promise<void>;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    // A crashed or interrupted test run must not leave homeservers behind holding ports.
    process.once('exit', this.killOnExit);
  }

  /**
   * Spawn Synapse and wait until `/_matrix/client/versions` answers.
   * @throws {@link SynapseStartError} (with the log tail) when it exits or does not answer in time.
   */
  static async start(options: SynapseProcessOptions): Promise<SynapseProcess> {
    const consoleFd = openSync(join(options.dataDir, SYNAPSE_FILES.console), 'a');
    let child: ChildProcess;
    try {
      child = spawn(
        options.python,
        ['-m', 'synapse.app.homeserver', '-c', join(options.dataDir, SYNAPSE_FILES.config)],
        { cwd: options.dataDir, stdio: ['ignore', consoleFd, consoleFd] },
      );
    } finally {
      closeSync(consoleFd);
    }
    const running = new SynapseProcess(child);
    try {
      await running.waitUntilAnswering(options);
    } catch (error) {
      await running.stop();
      throw error;
    }
    return running;
  }

  private async waitUntilAnswering({ url, dataDir, startTimeoutMs }: SynapseProcessOptions): Promise<void> {
    const versionsUrl = new URL('/_matrix/client/versions', url);
    const deadline = Date.now() + startTimeoutMs;
    let spawnError: Error | undefined;
    this.child.once('error', (error) => (spawnError = error));
    while (Date.now() < deadline) {
      if (spawnError) throw new SynapseStartError(`Synapse could not be spawned: ${spawnError.message}`, '');
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        const how = this.child.exitCode ?? this.child.signalCode;
        throw new SynapseStartError(`Synapse exited (${how}) before answering`, readSynapseLogTail(dataDir));
      }
      try {
        const response = await fetch(versionsUrl, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(POLL_INTERVAL_MS);
    }
    throw new SynapseStartError(
      `Synapse did not answer ${versionsUrl.href} within ${startTimeoutMs} ms`,
      readSynapseLogTail(dataDir),
    );
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM, then SIGKILL if Synapse has not exited after 10 s. Resolves when the process is gone. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
