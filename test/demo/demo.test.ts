/**
 * `pnpm demo --once` as a user runs it: a child process from the built output (needs `npx tsc -b`
 * first), which must exit 0 after printing the scripted conversation as each of the four sides saw it.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_SCRIPT } from './demo-script';

const RUN = resolve(__dirname, '../dist/demo/run.js');

function runDemoOnce(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [RUN, '--once'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** The block of the transcript that starts with `== <title>`. */
function block(stdout: string, title: string): string {
  const start = stdout.indexOf(`== ${title}`);
  if (start < 0) return '';
  const end = stdout.indexOf('\n\n', start);
  return stdout.slice(start, end < 0 ? undefined : end);
}

describe('pnpm demo --once', () => {
  it('starts everything, prints the conversation as every side saw it and login details, and exits 0', async () => {
    expect(existsSync(RUN)).toBe(true); // run `npx tsc -b` first
    const { code, stdout, stderr } = await runDemoOnce();
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('… starting Synapse with the three registrations');
    for (const title of ['Matrix', 'IRC', 'Discord', 'Telegram']) {
      const seen = block(stdout, title);
      for (const line of DEMO_SCRIPT) expect(seen).toContain(line.text);
    }
    // Each side shows the others' lines under their authors' names.
    expect(block(stdout, 'IRC')).toContain('<TrestleBot> <Dana[d]> Discord checking in');
    expect(block(stdout, 'Discord')).toContain('<Tom[t] (Matrix)> And Telegram makes four');
    expect(block(stdout, 'Telegram')).toContain('<bridge bot> bob[i]: Hello from IRC');
    expect(block(stdout, 'Matrix')).toMatch(/<Tom\[t\] \(@telegram_\d+:localhost\)> And Telegram/);
    expect(stdout).toMatch(/homeserver: http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain('user:       @demo:localhost');
    expect(stdout).toMatch(/password: {3}\S{8,}/);
    expect(stdout).toContain('Demo finished.');
  }, 240_000);
});
