/**
 * Launch Atheme 7.2 services (Debian's `atheme-services`, see .ci/provision-irc.sh) linked to a
 * test InspIRCd: NickServ for accounts and SaslServ for SASL PLAIN. The ircd must have been
 * started with `links: [ATHEME_LINK]` so it accepts the link.
 */
import { existsSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAthemeConfig } from './atheme-config';
import { readLogTail, spawnDaemon } from './daemon-process';
import type { ServerLink } from './inspircd-config';
import { IrcServerStartError, type RunningIrcServer } from './inspircd';

/** The link block an InspIRCd needs for {@link startAtheme} (pass it in `links`). */
export const ATHEME_LINK: ServerLink = {
  name: 'services.trestle.test',
  // Services connect to the ircd, so the ircd never dials this port.
  port: 1,
  password: 'trestle-services-link',
  services: true,
};

export interface RunningServices {
  serverName: string;
  /** Atheme's own log (registrations, SASL logins). */
  logFile: string;
  /** Stop services and delete their data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Start Atheme and resolve once it has linked to `ircd` and finished its burst (about 50 ms). */
export async function startAtheme(
  ircd: RunningIrcServer,
  options: { binary?: string; startTimeoutMs?: number } = {},
): Promise<RunningServices> {
  const binary = options.binary ?? '/usr/bin/atheme-services';
  if (!existsSync(binary)) throw new IrcServerStartError(`${binary} not found: run .ci/provision-irc.sh`, '');
  if (ircd.serverPort === undefined)
    throw new IrcServerStartError('the ircd accepts no links: start it with links: [ATHEME_LINK]', '');
  const dir = mkdtempSync(join(tmpdir(), 'trestle-atheme-'));
  // Atheme refuses to run as root; as the `irc` user it must write its database here.
  chmodSync(dir, 0o777);
  const configFile = join(dir, 'atheme.conf');
  const logFile = join(dir, 'atheme.log');
  writeFileSync(
    configFile,
    renderAthemeConfig({
      serverName: ATHEME_LINK.name,
      serverId: '0AT',
      networkName: ircd.networkName,
      uplink: { name: ircd.serverName, port: ircd.serverPort, password: ATHEME_LINK.password },
      dataDir: dir,
    }),
    { mode: 0o644 },
  );
  const pidFile = join(dir, 'atheme.pid');
  const daemon = spawnDaemon([binary, '-n', '-c', configFile, '-D', dir, '-p', pidFile, '-l', logFile]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  while (!/finished synching with uplink/.test(daemon.output())) {
    if (daemon.child.exitCode !== null || Date.now() > deadline) {
      const log = daemon.output() + readLogTail(logFile);
      await stop();
      throw new IrcServerStartError(`Atheme did not link to ${ircd.serverName} within ${timeoutMs} ms`, log);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { serverName: ATHEME_LINK.name, logFile, stop };
}
