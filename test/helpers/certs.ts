// Throwaway PKI for TLS tests, made with the openssl CLI so no key material lives in the repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that signed nothing here: trusting it instead of caFile must fail both ways. */
  otherCaFile: string;
}

// Our own config, so the result does not depend on the machine's openssl.cnf (or its absence).
const REQ_CONFIG = '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n';
const SERVER_EXTENSIONS =
  'basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:localhost, IP:127.0.0.1\n';
const CLIENT_EXTENSIONS = 'basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\n';
// P-256 keys are generated in milliseconds, RSA keys are not; one day is all a test run needs.
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const DAYS = '1';

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw new Error(`openssl ${args[0] ?? ''} failed while making test certificates`, { cause });
  }
}

/** Writes the files into `dir` (created if needed) and returns their paths. */
export function makeCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (name: string): string => join(dir, name);
  writeFileSync(file('req.cnf'), REQ_CONFIG);
  writeFileSync(file('server.ext'), SERVER_EXTENSIONS);
  writeFileSync(file('client.ext'), CLIENT_EXTENSIONS);

  const selfSignedCa = (name: string, commonName: string): void =>
    openssl([
      ...['req', '-x509', ...KEY, '-config', file('req.cnf'), '-subj', `/CN=${commonName}`, '-days', DAYS],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      ...['-keyout', file(`${name}.key`), '-out', file(`${name}.pem`)],
    ]);
  const signedByCa = (name: string, commonName: string, serial: string): void => {
    openssl(['req', '-new', ...KEY, '-config', file('req.cnf'), '-subj', `/CN=${commonName}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`)]);
    openssl([
      ...['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
      ...['-set_serial', serial, '-days', DAYS, '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`)],
    ]);
  };

  selfSignedCa('ca', 'bankcert test CA');
  selfSignedCa('other-ca', 'bankcert unrelated CA');
  signedByCa('server', 'localhost', '0x01');
  signedByCa('client', 'bankcert test client', '0x02');

  return {
    caFile: file('ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
    otherCaFile: file('other-ca.pem'),
  };
}
