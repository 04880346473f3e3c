import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { parseLedgerNdjson } from '../../scripts/ledger/ledger.ts';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reservations } from '../../checks/ledger.ts';
import { REFERENCE_ACCOUNTS } from '../../reference-bank/fixtures.ts';
import { bankState } from '../helpers/bank-state.ts';
import { makeCertificates } from '../helpers/certs.ts';
import { configFor, runCli, startBank, type BankProcess } from '../helpers/cli.ts';
import { startTlsBank } from '../helpers/tls-bank.ts';

/** The bank's request log lines after `from`, without the test's own readiness and state checks. */
function requests(bank: BankProcess, from: number): string[] {
  return bank.output.slice(from).filter((l) => /^(GET|POST) \//.test(l) && !l.startsWith('GET /health') && !l.startsWith('GET /__reference'));
}

/** "  conformance  12 reserveFunds, 6 transactResult" → per suite. */
function trafficOf(stdout: string): Record<string, { reserveFunds: number; transactResult: number }> {
  const found: Record<string, { reserveFunds: number; transactResult: number }> = {};
  for (const m of stdout.matchAll(/^ {2}(conformance|safety|security) +([\d,]+) reserveFunds, ([\d,]+) transactResult/gm)) {
    found[m[1] as string] = { reserveFunds: Number((m[2] as string).replace(/,/g, '')), transactResult: Number((m[3] as string).replace(/,/g, '')) };
  }
  return found;
}

/** The money table's rows: account → [reservations, largest held, debited]. */
function moneyOf(stdout: string): Record<string, [number, number, number]> {
  const table = stdout.slice(stdout.indexOf('Money plan'));
  const rows: Record<string, [number, number, number]> = {};
  for (const m of table.matchAll(/^ {2}(funded|lowBalance|probe|inactive|blacklisted|unmapped) +([\d,]+) +([\d,]+) +([\d,]+)$/gm)) {
    const n = (i: number) => Number((m[i] as string).replace(/,/g, ''));
    rows[m[1] as string] = [n(2), n(3), n(4)];
  }
  return rows;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('certify --dry-run: the plan and the money first, nothing reserved (real CLI, reference bank)', () => {
  it('reaches the bank without reserving anything and prints what would run, what is skipped, the traffic and the money plan (exit 0)', async () => {
    const bank = await startBank();
    try {
      const { config, out } = configFor(bank.url);
      const from = bank.output.length;
      const run = await runCli(['certify', '--config', config, '--out', out, '--dry-run']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      for (const heading of [
        'Reaching the bank (without moving money)',
        'What will run: 27 of 29 checks',
        'Skipped, and why',
        'Traffic per suite',
        'Money plan',
      ]) {
        expect(run.stdout).toContain(heading);
      }
      expect(run.stdout).toMatch(/SEC-SIGNATURE +signing is not enabled for this bank/);
      expect(run.stdout).toMatch(/LD-CAPACITY +the capacity search is not part of this run/);
      expect(run.stdout).toMatch(/HTTP +POST .*\/transactResult, a failure outcome \(2239\) for a reference no bank can know: HTTP 404, as TR-404 expects/);
      expect(run.stdout).toMatch(/^ {2}load +profile load: \d+ iterations\/s held \d+ s/m);
      expect(run.stdout).toMatch(/stays held on funded until the post-run cleanup/);
      // No reservation was ever made: the one request that reached an endpoint is the unknown-reference transactResult.
      expect((await bankState(bank)).reservations).toEqual({ held: 0, debited: 0, released: 0 });
      expect(requests(bank, from)).toEqual(['POST /transactResult 404 unknown']);
    } finally {
      await bank.stop();
    }
  });

  it('with --check, plans only the chosen checks; a signature the bank refuses is a warning before any reservation', async () => {
    const bank = await startBank(['--secret-env', 'DRY_RUN_BANK_SECRET'], { DRY_RUN_BANK_SECRET: 'the-banks-secret' });
    try {
      const { config, out } = configFor(bank.url, [
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], 'DRY_RUN_WRONG_SECRET'],
      ]);
      const run = await runCli(['certify', '--config', config, '--out', out, '--dry-run', '--check', 'RF-2010,SF-LATE-OUTCOME'], {
        env: { DRY_RUN_WRONG_SECRET: 'not-the-banks-secret' },
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('checks RF-2010, SF-LATE-OUTCOME: a partial run, not a certificate');
      expect(run.stdout).toContain('What will run: 2 of 2 checks');
      expect(run.stdout).toMatch(/HTTP 401\n +! the bank refused the signature: check that DRY_RUN_WRONG_SECRET holds the secret/);
      expect(run.stdout).toContain('lasts at least 10 s (SF-LATE-OUTCOME waits safety.lateOutcomeS)');
      expect(run.stdout).not.toContain('not-the-banks-secret');
      expect((await bankState(bank)).reservations).toEqual({ held: 0, debited: 0, released: 0 });
    } finally {
      await bank.stop();
    }
  });

  it('a bad config or option is exit 2 and an unreachable bank exit 3, each one clear line', async () => {
    const port = await closedPort();
    const { config, out } = configFor(`http://127.0.0.1:${port}`);
    const badOption = await runCli(['certify', '--config', config, '--out', out, '--dry-run', '--profile', 'lod']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('--profile lod: unknown load profile');
    const { config: badConfig } = configFor(`http://127.0.0.1:${port}`, [[['limits', 'minimumAmount'], -5]]);
    const invalid = await runCli(['certify', '--config', badConfig, '--out', out, '--dry-run']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('limits.minimumAmount');
    const unreachable = await runCli(['certify', '--config', config, '--out', out, '--dry-run']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^bankcert: cannot reach the bank at http:\/\/127\.0\.0\.1:\d+: TCP: connection refused/m);
    expect(unreachable.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('over mutual TLS: resolves the name, verifies the certificate with target.tls.caFile and presents the client certificate; without it, exit 3 naming TLS', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'bankcert-dry-run-tls-'));
    const certs = makeCertificates(certDir);
    const bank = await startTlsBank(certs, { mutual: true });
    try {
      const tls = { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile };
      const { config, out } = configFor(bank.url, [[['target', 'tls'], tls]]);
      const run = await runCli(['certify', '--config', config, '--out', out, '--dry-run', '--suite', 'conformance']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^ {2}DNS +localhost → /m);
      expect(run.stdout).toMatch(/^ {2}TLS +TLSv1\.[23], certificate .*, verified, client certificate sent$/m);
      expect(run.stdout).toMatch(/^ {2}HTTP +POST https:\/\/localhost:\d+\/transactResult, .*: HTTP 404, as TR-404 expects$/m);
      const { config: noClient, out: out2 } = configFor(bank.url, [[['target', 'tls'], { caFile: certs.caFile }]]);
      const refused = await runCli(['certify', '--config', noClient, '--out', out2, '--dry-run', '--suite', 'conformance']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/cannot reach the bank at https:\/\/localhost:\d+: .*TLS: .*client certificate/);
    } finally {
      await bank.stop();
      rmSync(certDir, { recursive: true, force: true });
    }
  });

  it('the plan is what a run does: the same requests per suite and the same reservations and debits per account', async () => {
    const bank = await startBank();
    try {
      // A declared probe balance: the funds probe confirms it with two reservations instead of searching for it.
      const { config, out } = configFor(bank.url, [
        [['accounts', 'probe', 'balance'], REFERENCE_ACCOUNTS.probe.balance],
        [['safety', 'lateOutcomeS'], 6],
      ]);
      const suites = ['--suite', 'conformance,safety,security'];
      const dry = await runCli(['certify', '--config', config, '--out', out, '--dry-run', ...suites]);
      expect(dry.code, dry.stdout + dry.stderr).toBe(0);
      const planned = trafficOf(dry.stdout);
      const money = moneyOf(dry.stdout);
      expect(Object.keys(planned)).toEqual(['conformance', 'safety', 'security']);
      expect(Object.keys(money)).toEqual(expect.arrayContaining(['funded', 'lowBalance', 'probe']));

      const from = bank.output.length;
      const run = await runCli(['certify', '--config', config, '--out', out, ...suites]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      // Asked first: the bank's answer comes after every log line of the run's requests.
      expect((await bankState(bank)).held).toEqual([]);
      const seen = requests(bank, from);
      const total = (key: 'reserveFunds' | 'transactResult') => Object.values(planned).reduce((n, t) => n + t[key], 0);
      expect(seen.filter((l) => l.startsWith('POST /reserveFunds')).length).toBe(total('reserveFunds'));
      // Plus the post-run cleanup's one release of the reservation SF-CLEANUP leaves open.
      expect(seen.filter((l) => l.startsWith('POST /transactResult')).length).toBe(total('transactResult') + 1);

      const rows = parseLedgerNdjson(readFileSync(join(out, 'ledger.ndjson'), 'utf8'));
      const granted: Record<string, number> = {};
      const debited: Record<string, number> = {};
      for (const r of reservations(rows).values()) {
        granted[r.reserve.account] = (granted[r.reserve.account] ?? 0) + 1;
        if (r.settled?.code === '0') debited[r.reserve.account] = (debited[r.reserve.account] ?? 0) + r.reserve.reserveAmount;
      }
      for (const [account, [planReservations, , planDebited]] of Object.entries(money)) {
        expect([account, granted[account] ?? 0, debited[account] ?? 0]).toEqual([account, planReservations, planDebited]);
      }
      expect(money.probe?.[1]).toBe(REFERENCE_ACCOUNTS.probe.balance);
    } finally {
      await bank.stop();
    }
  });
});
