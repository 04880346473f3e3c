import { readFileSync } from 'node:fs';
import { parseLedgerNdjson } from '../../scripts/ledger/ledger.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckId } from '../../checks/ids.ts';
import type { LedgerRow } from '../../checks/ledger.ts';
import type { FaultName } from '../../reference-bank/faults.ts';
import { bankState } from '../helpers/bank-state.ts';
import { configFor, readResult, runCli, startBank, type BankProcess } from '../helpers/cli.ts';

const PARTIAL = 'partial run: not a certificate';

interface PartialCase {
  name: string;
  fault?: FaultName;
  check: string;
  edits?: [string[], unknown][];
  expectedExit: 0 | 1 | 3;
  verdict: 'passed-partial' | 'failed-partial' | 'inconclusive';
  status: 'pass' | 'fail' | 'inconclusive';
}

const CASES: PartialCase[] = [
  { name: 'compliant bank, RF-2010', check: 'RF-2010', expectedExit: 0, verdict: 'passed-partial', status: 'pass' },
  { name: 'the fault of the chosen check fails it', fault: 'ignore-funds', check: 'RF-2010', expectedExit: 1, verdict: 'failed-partial', status: 'fail' },
  {
    name: 'a fault elsewhere (RF-2040) leaves the chosen check passing',
    fault: 'no-maximum',
    check: 'RF-2010',
    expectedExit: 0,
    verdict: 'passed-partial',
    status: 'pass',
  },
  {
    name: 'safety: the fault of the chosen check fails it',
    fault: 'double-debit-on-retry',
    check: 'SF-DEBIT-ONCE',
    expectedExit: 1,
    verdict: 'failed-partial',
    status: 'fail',
  },
  {
    name: 'safety: a fault elsewhere (TR-RETRY) leaves the chosen check passing',
    fault: 'retry-not-200',
    check: 'SF-DEBIT-ONCE',
    expectedExit: 0,
    verdict: 'passed-partial',
    status: 'pass',
  },
  {
    name: 'a chosen check that cannot see what it asserts is inconclusive (a probe account the bank does not know)',
    check: 'sf-debit-once',
    edits: [[['accounts', 'probe', 'sourceIdentifier'], '27820009999']],
    expectedExit: 3,
    verdict: 'inconclusive',
    status: 'inconclusive',
  },
];

function ledgerRows(out: string): LedgerRow[] {
  return parseLedgerNdjson(readFileSync(join(out, 'ledger.ndjson'), 'utf8'));
}

/** The bank's request log lines ("POST /reserveFunds 200 2010") written after `from`, without the test's own readiness checks. */
function requests(bank: BankProcess, from: number): string[] {
  return bank.output.slice(from).filter((l) => /^(GET|POST) \//.test(l) && !l.startsWith('GET /health'));
}

describe('certify --check: a partial run of chosen checks (real k6 against the reference bank)', () => {
  it.each(CASES)('$name → exit $expectedExit, $verdict', async (c) => {
    const bank = await startBank(c.fault ? ['--fault', c.fault] : []);
    try {
      const { config, out } = configFor(bank.url, [[['safety', 'lateOutcomeS'], 6], ...(c.edits ?? [])]);
      const run = await runCli(['certify', '--config', config, '--out', out, '--check', c.check]);
      const result = readResult(out);
      const id = c.check.toUpperCase() as CheckId;
      expect({ exit: run.code, verdict: result.verdict, rows: result.checks.map((r) => [r.id, r.status]) }, run.stdout + run.stderr).toEqual({
        exit: c.expectedExit,
        verdict: c.verdict,
        rows: [[id, c.status]],
      });
      expect(result.checksChosen).toEqual([id]);
      // Every report and the terminal say it is not a certificate.
      expect(run.stdout).toContain(PARTIAL);
      for (const file of ['report.html', 'report.md', 'junit.xml']) expect(readFileSync(join(out, file), 'utf8'), file).toContain(PARTIAL);
      expect(result.ledger.open).toBe(0);
      expect((await bankState(bank)).held).toEqual([]);
    } finally {
      await bank.stop();
    }
  });

  it('sends no traffic for unchosen checks: --check RF-2010 reserves on lowBalance only', async () => {
    const bank = await startBank();
    try {
      const { config, out } = configFor(bank.url);
      const from = bank.output.length;
      const run = await runCli(['certify', '--config', config, '--out', out, '--check', 'RF-2010']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      // Asked first: the bank's answer comes after every log line of the run's requests.
      expect((await bankState(bank)).reservations).toEqual({ held: 0, debited: 0, released: 1 });
      // The preflight GET, the two reservations of RF-2010 (balance + 1 refused, exactly the balance granted) and its release.
      expect(requests(bank, from).filter((l) => !l.startsWith('GET /__reference'))).toEqual([
        'GET / 404',
        'POST /reserveFunds 200 2010',
        'POST /reserveFunds 200 0000',
        'POST /transactResult 200 released',
      ]);
      expect(new Set(ledgerRows(out).map((r) => r.account))).toEqual(new Set(['lowBalance']));
    } finally {
      await bank.stop();
    }
  });

  it('the safety suite for SF-DEBIT-ONCE alone: no late reservation, nothing left for the cleanup, nothing on funded', async () => {
    const bank = await startBank();
    try {
      const { config, out } = configFor(bank.url);
      const run = await runCli(['certify', '--config', config, '--out', out, '--check', 'SF-DEBIT-ONCE']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const rows = ledgerRows(out);
      expect(rows.filter((r) => r.account !== 'probe')).toEqual([]);
      expect(rows.filter((r) => r.by === 'cleanup')).toEqual([]);
      // The only dispensed outcomes are SF-DEBIT-ONCE's, of the typical amount (SF-LATE-OUTCOME's is minimumAmount + 1).
      const dispensed = rows.filter((r) => r.kind === 'outcome' && r.code === '0');
      expect(dispensed.length).toBeGreaterThan(0);
      expect(new Set(dispensed.map((r) => r.reserveAmount))).toEqual(new Set([1000]));
      expect(run.stdout).not.toContain('SF-LATE-OUTCOME');
    } finally {
      await bank.stop();
    }
  });

  it('an unknown check id is a usage error listing the valid ones; nothing is sent (exit 2)', async () => {
    const bank = await startBank();
    try {
      const { config, out } = configFor(bank.url);
      const from = bank.output.length;
      const run = await runCli(['certify', '--config', config, '--out', out, '--check', 'RF-2010,RF-9999']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--check RF-9999: unknown check id');
      for (const id of ['RF-SCHEMA', 'SF-LATE-OUTCOME', 'SEC-BAD-INPUT', 'LD-CAPACITY']) expect(run.stderr).toContain(id);
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(requests(bank, from)).toEqual([]);
    } finally {
      await bank.stop();
    }
  });

  it('LD-CAPACITY without the capacity search, or a check outside --suite, is a usage error (exit 2)', async () => {
    const { config, out } = configFor('http://127.0.0.1:1');
    const capacity = await runCli(['certify', '--config', config, '--out', out, '--check', 'LD-CAPACITY', '--profile', 'smoke']);
    expect(capacity.code).toBe(2);
    expect(capacity.stderr).toContain('--profile capacity');
    const suite = await runCli(['certify', '--config', config, '--out', out, '--check', 'SF-RELEASE', '--suite', 'conformance']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain('SF-RELEASE belongs to the safety suite');
  });
});
