/**
 * A throwaway certificate authority and a server certificate it signed, made with the `openssl`
 * command, for TLS tests on loopback. Nothing here is trusted by the system: a client must be
 * given `caCertificate` (or skip verification) to accept the server.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM of the CA that signed the server certificate. */
  caCertificate: string;
  /** Files the server loads (readable by everyone: the server may run as another user). */
  certFile: string;
  keyFile: string;
}

/** Create the CA and a certificate for `127.0.0.1` and `localhost` in `dir`. Takes a few ms (EC keys). */
export function createTestCertificates(dir: string, serverName: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Trestle Test CA',
  );
  openssl(
    'req',
    ...ecKey,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${serverName}`,
  );
  writeFileSync(file('server.ext'), `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${serverName}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  execFileSync('chmod', ['0644', file('server.key'), file('server.pem')]);
  return {
    caCertificate: readFileSync(file('ca.pem'), 'utf8'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
  };
}
