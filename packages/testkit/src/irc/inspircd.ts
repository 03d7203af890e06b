/**
 * Launch a real InspIRCd 3 (Debian's `inspircd` package, see .ci/provision-irc.sh) on a free
 * loopback port, with a throwaway config directory. One server per call; `stop()` removes it all.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_INSPIRCD_MODULES, renderInspircdConfig, type ServerLink } from './inspircd-config';
import { createTestCertificates } from './test-certificates';
import { findFreePort } from '../ports';
import { probeRegistration } from './registration-probe';
import { readLogTail, spawnDaemon } from './daemon-process';

export interface InspircdOptions {
  /** Path to the binary (default `/usr/sbin/inspircd`). */
  binary?: string;
  /** Server name shown in numerics (default `irc.trestle.test`). */
  serverName?: string;
  /** Network name in ISUPPORT `NETWORK=` (default `TrestleTest`). */
  networkName?: string;
  /** Modules to load instead of {@link DEFAULT_INSPIRCD_MODULES}. */
  modules?: readonly string[];
  /** Also open a TLS client port, with a certificate signed by a throwaway CA (see `caCertificate`). */
  tls?: boolean;
  /** With `tls`: ask clients for a certificate, whose fingerprint services see (SASL EXTERNAL). */
  tlsClientCertificates?: boolean;
  /** Require clients to send this server password (PASS). */
  connectPassword?: string;
  /** Server id (three characters, digit first); needed when several servers link. */
  serverId?: string;
  /** Open a port for other servers and services to link to (`serverPort` of the result). */
  acceptLinks?: boolean;
  /** Use this port for links instead of a free one (a peer's config may name it before it starts). */
  serverPort?: number;
  /** Servers and services allowed to link with this one. */
  links?: readonly ServerLink[];
  /** Raw config appended to the generated one. */
  extraConfig?: string;
  /** How long to wait for the server to accept a registration (default 10 s). */
  startTimeoutMs?: number;
}

/** A running test server. */
export interface RunningIrcServer {
  host: string;
  port: number;
  serverName: string;
  networkName: string;
  /** `OPER trestle <operPassword>` makes a client an IRC operator with every privilege. */
  operName: string;
  operPassword: string;
  /** The TLS client port, when started with `tls`. */
  tlsPort?: number;
  /** PEM of the CA that signed the TLS certificate (trust it to verify the server). */
  caCertificate?: string;
  /** The port other servers link to, when started with `acceptLinks`, `serverPort` or `links`. */
  serverPort?: number;
  /** The server password clients must send, if any. */
  connectPassword?: string;
  /** The server's log file (useful when a test fails). */
  logFile: string;
  /** Stop the server and delete its config directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when the server cannot be started or never accepts a client. */
export class IrcServerStartError extends Error {
  constructor(
    message: string,
    readonly serverLog: string,
  ) {
    super(serverLog ? `${message}\n--- server output ---\n${serverLog}` : message);
    this.name = 'IrcServerStartError';
  }
}

const BIND_ATTEMPTS = 3;

/**
 * Start InspIRCd and resolve once a client can register on it.
 *
 * Note: InspIRCd 3 completes registrations in a once-a-second housekeeping pass, so each new
 * client waits up to ~1 s for RPL_WELCOME however the server is tuned; start clients in parallel.
 */
export async function startInspircd(options: InspircdOptions = {}): Promise<RunningIrcServer> {
  let lastError: unknown;
  // The free port can be taken between asking and binding; a fresh port on retry fixes that.
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    try {
      return await startOnce(options, await findFreePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(options: InspircdOptions, port: number): Promise<RunningIrcServer> {
  const binary = options.binary ?? '/usr/sbin/inspircd';
  if (!existsSync(binary)) {
    throw new IrcServerStartError(`${binary} not found: run .ci/provision-irc.sh`, '');
  }
  const dir = mkdtempSync(join(tmpdir(), 'trestle-inspircd-'));
  // InspIRCd refuses to run as root; as root we drop to the `irc` user, who must read the config
  // and write the log in this directory.
  chmodSync(dir, 0o777);
  const serverName = options.serverName ?? 'irc.trestle.test';
  const networkName = options.networkName ?? 'TrestleTest';
  const operPassword = 'trestle-oper';
  const logFile = join(dir, 'ircd.log');
  const configFile = join(dir, 'inspircd.conf');
  const certificates = options.tls ? createTestCertificates(dir, serverName) : undefined;
  const tls = certificates && {
    port: await findFreePort(),
    ...certificates,
    clientCertificates: options.tlsClientCertificates ?? false,
  };
  const linking = options.acceptLinks || options.serverPort !== undefined || options.links !== undefined;
  const serverPort = linking ? (options.serverPort ?? (await findFreePort())) : undefined;
  writeFileSync(
    configFile,
    renderInspircdConfig({
      port,
      serverName,
      networkName,
      logFile,
      modules: options.modules ?? DEFAULT_INSPIRCD_MODULES,
      operPassword,
      extraConfig: options.extraConfig,
      ...(tls && { tls }),
      ...(options.connectPassword !== undefined && { connectPassword: options.connectPassword }),
      ...(options.serverId !== undefined && { serverId: options.serverId }),
      ...(serverPort !== undefined && { serverPort, links: options.links ?? [] }),
    }),
    { mode: 0o644 },
  );

  const daemon = spawnDaemon([binary, '--config', configFile, '--nofork', '--nopid']);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const timeoutMs = options.startTimeoutMs ?? 10_000;
  try {
    await Promise.race([
      waitUntilRegistrationWorks(port, timeoutMs, options.connectPassword),
      daemon.exited.then((code) => {
        throw new Error(`inspircd exited with code ${code} before accepting clients`);
      }),
    ]);
  } catch (err) {
    const log = daemon.output() + readLogTail(logFile);
    await stop();
    throw new IrcServerStartError(
      `InspIRCd did not start on 127.0.0.1:${port}: ${(err as Error).message}`,
      log,
    );
  }
  return {
    host: '127.0.0.1',
    port,
    serverName,
    networkName,
    operName: 'trestle',
    operPassword,
    logFile,
    stop,
    ...(tls && { tlsPort: tls.port, caCertificate: tls.caCertificate }),
    ...(serverPort !== undefined && { serverPort }),
    ...(options.connectPassword !== undefined && { connectPassword: options.connectPassword }),
  };
}

async function waitUntilRegistrationWorks(port: number, timeoutMs: number, password?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probeRegistration('127.0.0.1', port, Math.max(500, deadline - Date.now()), password);
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
