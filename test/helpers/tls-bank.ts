// The reference bank over HTTPS, started through the real CLI with startBank() from cli.ts. Its readiness
// poll is its own: fetch cannot be given a private CA or a client certificate without a custom dispatcher;
// node:https takes both per request.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { startBank, type BankProcess } from './cli.ts';
import type { TestCertificates } from './certs.ts';

/** What a client presents: the CA it trusts and, for mutual TLS, its certificate and key. */
export interface ClientTls {
  caFile: string;
  certFile?: string;
  keyFile?: string;
}

export interface TlsBankOptions {
  /** Require client certificates signed by the test CA (mutual TLS). */
  mutual?: boolean;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

/** The client settings that get through the bank's door: the test CA, plus the client certificate for mutual TLS. */
export function clientOf(certs: TestCertificates, mutual: boolean): ClientTls {
  return mutual ? { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } : { caFile: certs.caFile };
}

/** GET over HTTPS with the given client TLS; resolves with status and body. */
export function httpsGet(url: string, tls: ClientTls): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent: false,
        ca: readFileSync(tls.caFile),
        ...(tls.certFile && tls.keyFile ? { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : {}),
        timeout: 2_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Polls /health over HTTPS with a bounded number of attempts instead of sleeping a fixed time. */
async function waitForHealthTls(url: string, tls: ClientTls, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    try {
      if ((await httpsGet(`${url}/health`, tls)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}/health never answered over TLS`);
}

/** `bankcert bank --port 0 --tls-cert … --tls-key … [--tls-client-ca …]`, ready once /health answers over TLS. */
export async function startTlsBank(certs: TestCertificates, options: TlsBankOptions = {}): Promise<BankProcess> {
  const mutual = options.mutual ?? false;
  const tlsArgs = ['--tls-cert', certs.serverCertFile, '--tls-key', certs.serverKeyFile, ...(mutual ? ['--tls-client-ca', certs.caFile] : [])];
  return startBank(['--quiet', ...tlsArgs, ...(options.args ?? [])], options.env ?? {}, (url) => waitForHealthTls(url, clientOf(certs, mutual)));
}

/** The reference bank's own view of the money it holds (a test-only endpoint), over the same TLS. */
export async function heldAtBank(url: string, tls: ClientTls): Promise<unknown[]> {
  const answer = await httpsGet(`${url}/__reference/state`, tls);
  return (JSON.parse(answer.body) as { held: unknown[] }).held;
}
