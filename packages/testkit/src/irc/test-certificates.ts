/**
 * A throwaway certificate authority and a server certificate it signed, made with the `openssl`
 * command, for TLS tests on loopback. Nothing here is trusted by the system: a client must be
 * given `caCertificate` (or skip verification) to accept the server.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A self-signed client certificate, as an IRC client presents it for CertFP / SASL EXTERNAL. */
export interface TestClientCertificate {
  certificate: string;
  privateKey: string;
  /** SHA-256 of the certificate in lower-case hex, as InspIRCd reports it to services. */
  fingerprint: string;
}

/** Make a self-signed client certificate (EC key, valid two days). Takes a few ms. */
export function createClientCertificate(commonName: string): TestClientCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'trestle-client-cert-'));
  try {
    const keyFile = join(dir, 'client.key');
    const certFile = join(dir, 'client.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
      ]),
      { stdio: 'pipe' },
    );
    const certificate = readFileSync(certFile, 'utf8');
    return {
      certificate,
      privateKey: readFileSync(keyFile, 'utf8'),
      fingerprint: new X509Certificate(certificate).fingerprint256.replace(/:/g, '').toLowerCase(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
