import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { parseLedgerNdjson } from '../../scripts/ledger/ledger.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ACCOUNTS } from '../../reference-bank/fixtures.ts';
import { makeCertificates, type TestCertificates } from '../helpers/certs.ts';
import { configFor, notPassing, readResult, runCli, type CliRun } from '../helpers/cli.ts';
import { findLeaks, literalForms, outputFiles, pemBodyLines, pinForms } from '../helpers/leaks.ts';
import { startTlsBank } from '../helpers/tls-bank.ts';

const SECRET_ENV = 'BANKCERT_NO_LEAKS_SECRET';
// Distinctive, and with characters that JSON, HTML and URL encodings each change, so every form differs.
const SECRET = `nlk7Wq3Zs1gn-"quote'<tag>&amp;\\back-ключ`;
const CORE = 'nlk7Wq3Zs1gn';
const PIN = REFERENCE_ACCOUNTS.funded.authCode ?? '';

/**
 * Everything secret at once: a signing secret, a client key for mutual TLS and the funded account's
 * authCode, through every available suite. Two faults give failing checks whose evidence (the exact
 * request) is written to the outputs: RF-2040 (a reserveFunds carrying the authCode) and TR-404.
 */
describe('a full certification writes no secret anywhere (real CLI, real k6, mutual TLS, signing, authCode)', () => {
  let dir: string;
  let certs: TestCertificates;
  let out: string;
  let run: CliRun;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bankcert-no-leaks-'));
    certs = makeCertificates(join(dir, 'pki'));
    const env = { [SECRET_ENV]: SECRET };
    const bank = await startTlsBank(certs, { mutual: true, args: ['--secret-env', SECRET_ENV, '--fault', 'unknown-ref-200', '--fault', 'no-maximum'], env });
    try {
      const config = configFor(bank.url, [
        [['target', 'tls'], { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile }],
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], SECRET_ENV],
      ]);
      out = config.out;
      run = await runCli(['certify', '--config', config.config, '--out', out, '--suite', 'conformance,safety,security'], { env, timeoutMs: 90_000 });
    } finally {
      await bank.stop();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the run really used every secret (otherwise finding none proves nothing)', () => {
    expect(PIN).toMatch(/^\d{4}$/);
    const result = readResult(out);
    expect({ exit: run.code, notPassing: notPassing(result) }, run.stdout + run.stderr).toEqual({ exit: 1, notPassing: ['RF-2040', 'TR-404'] });
    expect(result.signing).toBe(true);
    const status = (id: string) => result.checks.find((c) => c.id === id)?.status;
    // The bank verified signatures made with the secret, and refused wrong ones.
    expect(status('SEC-SIGNATURE')).toBe('pass');
    // RF-2020 ran (it is skipped without an authCode), and the funded account, which the reference
    // bank only serves with the right authCode, reserved: the requests carried it.
    expect(status('RF-2020')).toBe('pass');
    const ledger = parseLedgerNdjson(readFileSync(join(out, 'ledger.ndjson'), 'utf8'));
    expect(ledger.some((r) => r.kind === 'reserve' && r.account === 'funded' && r.code === '0000')).toBe(true);
    // Observed by k6 through a bank that refuses clients without the certificate: the key was in use.
    expect(status('RF-0000')).toBe('pass');
  });

  it('evidence of failing checks shows the Signature header and the authCode redacted', () => {
    const result = readResult(out);
    const evidence = result.checks.flatMap((c) => c.evidence ?? []);
    expect(evidence.length).toBeGreaterThan(0);
    for (const exchange of evidence) expect(exchange.request.headers.Signature).toBe('[redacted]');
    const rf2040 = result.checks.find((c) => c.id === 'RF-2040')?.evidence ?? [];
    expect(rf2040.some((e) => (e.request.body ?? '').includes('"authCode":"[redacted]"'))).toBe(true);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toContain('"Signature": "[redacted]"');
  });

  it('no output file, and neither stdout nor stderr, contains the secret, the client key or the authCode', () => {
    const files = outputFiles(out);
    const names = files.map(([name]) => name);
    for (const expected of [
      'result.json',
      'report.html',
      'report.md',
      'junit.xml',
      'ledger.csv',
      'ledger.ndjson',
      'k6.log',
      'plan.json',
      'exchanges.ndjson.gz',
    ])
      expect(names).toContain(expected);
    expect(names.filter((n) => /^k6-summary-.+\.json$/.test(n))).toHaveLength(3);
    const keyLines = pemBodyLines('client key', readFileSync(certs.clientKeyFile, 'utf8'));
    expect(keyLines.length).toBeGreaterThanOrEqual(2);
    const needles = [...literalForms('signing secret', SECRET), ...literalForms('signing secret core', CORE), ...keyLines, ...pinForms(PIN)];
    const haystacks: [string, string][] = [...files, ['stdout', run.stdout], ['stderr', run.stderr]];
    expect(findLeaks(haystacks, needles)).toEqual([]);
    // The needles do find what they look for (a search that cannot match proves nothing).
    expect(findLeaks([['client key', readFileSync(certs.clientKeyFile, 'utf8')]], keyLines)).toHaveLength(keyLines.length);
    expect(findLeaks([['sample', `{"authCode":"${PIN}"} authCode=${PIN}`]], pinForms(PIN)).length).toBe(3);
  });
});
