import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../helpers/certs.ts';
import { expectCannotRun } from '../helpers/clear-error.ts';
import { configFor, notPassing, readResult, runCli } from '../helpers/cli.ts';
import { clientOf, heldAtBank, startTlsBank, type ClientTls } from '../helpers/tls-bank.ts';

// Preflight and cleanup (Node) and the scenarios (k6) each get the TLS settings their own way:
// certification over HTTPS proves both, because every check is observed by k6 and preflight runs first.
describe('certification over HTTPS (real CLI, real k6, reference bank with test certificates)', () => {
  let dir: string;
  let certs: TestCertificates;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bankcert-tls-e2e-'));
    certs = makeCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `certify --suite conformance` against a TLS bank with the given client settings in target.tls. */
  async function certifyOverTls(mutual: boolean, configTls: ClientTls) {
    const bank = await startTlsBank(certs, { mutual });
    try {
      const { config, out } = configFor(bank.url, [[['target', 'tls'], configTls]]);
      const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'conformance'], { timeoutMs: 60_000 });
      return { bank, run, out, held: run.code === 0 ? await heldAtBank(bank.url, clientOf(certs, mutual)) : [] };
    } finally {
      await bank.stop();
    }
  }

  it('a bank with a certificate from a private CA, trusted through target.tls.caFile → certified', async () => {
    const { bank, run, out, held } = await certifyOverTls(false, { caFile: certs.caFile });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = readResult(out);
    expect(result.verdict).toBe('certified');
    expect(notPassing(result)).toEqual([]);
    expect(result.target.reserveFundsUrl).toBe(`${bank.url}/reserveFunds`);
    expect(bank.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(held).toEqual([]);
  });

  it('mutual TLS: the client certificate and key from target.tls reach both Node and k6 → certified', async () => {
    const { run, out, held } = await certifyOverTls(true, { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = readResult(out);
    expect(result.verdict).toBe('certified');
    // Observed, not skipped: k6 itself got through the bank's client-certificate check.
    expect(result.checks.filter((c) => c.status === 'pass').length).toBeGreaterThan(5);
    expect(result.ledger.open).toBe(0);
    expect(held).toEqual([]);
  });

  it('a bank that requires a client certificate, config without one → exit 3, one line naming the TLS reason', async () => {
    const { run } = await certifyOverTls(true, { caFile: certs.caFile });
    expectCannotRun(run, /cannot reach the bank at https:\/\/localhost:\d+: TLS: .*client certificate/);
  });

  it('a bank whose certificate another CA signed → exit 3, one line naming the TLS certificate problem', async () => {
    const { run } = await certifyOverTls(false, { caFile: certs.otherCaFile });
    expectCannotRun(run, /cannot reach the bank at https:\/\/localhost:\d+: TLS: certificate signed by an unknown CA/);
  });
});
