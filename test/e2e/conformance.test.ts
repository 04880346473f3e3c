import { afterAll, describe, expect, it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-bank/faults.ts';
import type { CheckId } from '../../checks/ids.ts';
import { configFor, notPassing, readResult, runCli, startBank, type BankProcess } from '../helpers/cli.ts';

interface Case {
  name: string;
  fault?: FaultName;
  signing?: boolean;
  expectedExit: number;
  /** Checks that must fail (or warn, for SHOULD checks); every other check must pass or skip. */
  expectedFailing: CheckId[];
}

const CASES: Case[] = [
  { name: 'compliant bank, unsigned', expectedExit: 0, expectedFailing: [] },
  { name: 'compliant bank, signed', signing: true, expectedExit: 0, expectedFailing: [] },
  { name: 'long reserveFundsTxnRef', fault: 'long-reference', expectedExit: 1, expectedFailing: ['RF-SCHEMA'] },
  { name: 'minimum treated as exclusive', fault: 'exclusive-minimum', expectedExit: 1, expectedFailing: ['RF-0000'] },
  { name: 'funds not checked', fault: 'ignore-funds', expectedExit: 1, expectedFailing: ['RF-2010'] },
  { name: 'auth code not checked', fault: 'ignore-auth-code', expectedExit: 1, expectedFailing: ['RF-2020'] },
  { name: 'unmapped answered 2020', fault: 'unmapped-as-2020', expectedExit: 1, expectedFailing: ['RF-2030'] },
  { name: 'no maximum', fault: 'no-maximum', expectedExit: 1, expectedFailing: ['RF-2040'] },
  { name: 'no minimum', fault: 'no-minimum', expectedExit: 1, expectedFailing: ['RF-2050'] },
  { name: 'blacklisted answered 2080', fault: 'blacklisted-as-inactive', expectedExit: 1, expectedFailing: ['RF-2070'] },
  { name: 'inactive accounts reserve', fault: 'inactive-allowed', expectedExit: 1, expectedFailing: ['RF-2080'] },
  // RF-HTTP-200 is a SHOULD: the certificate still holds, with a warning on that row only.
  { name: 'refusals as HTTP 400', fault: 'errors-as-http-400', expectedExit: 0, expectedFailing: ['RF-HTTP-200'] },
  { name: 'debit acknowledged with 500', fault: 'debit-ack-500', expectedExit: 1, expectedFailing: ['TR-ACK'] },
  { name: 'unknown reference answered 200', fault: 'unknown-ref-200', expectedExit: 1, expectedFailing: ['TR-404'] },
];

const SECRET_ENV = 'BANKCERT_TEST_SIGNING_SECRET';
const SECRET = 'e2e-secret-Zoë-ключ';
const banks: BankProcess[] = [];
afterAll(async () => {
  await Promise.all(banks.map((b) => b.stop()));
});

describe('conformance suite against the reference bank (real k6, real HTTP)', () => {
  it('has an end-to-end case for every fault, and every conformance check has a fault', () => {
    const covered = new Set(CASES.map((c) => c.fault).filter(Boolean));
    expect([...covered].sort()).toEqual(Object.keys(FAULTS).sort());
  });

  it.each(CASES)('$name → exit $expectedExit, not passing: $expectedFailing', async (c) => {
    const env = c.signing ? { [SECRET_ENV]: SECRET } : {};
    const bank = await startBank([...(c.fault ? ['--fault', c.fault] : []), ...(c.signing ? ['--secret-env', SECRET_ENV] : [])], env);
    banks.push(bank);
    const { config, out } = configFor(bank.url, c.signing ? [[['signing', 'enabled'], true], [['signing', 'secretEnv'], SECRET_ENV]] : []);
    const run = await runCli(['certify', '--config', config, '--out', out], { env });
    const result = readResult(out);
    expect({ exit: run.code, notPassing: notPassing(result) }, run.stdout + run.stderr).toEqual({ exit: c.expectedExit, notPassing: c.expectedFailing });
    expect(result.verdict).toBe(c.expectedExit === 0 ? 'certified' : 'not-certified');
    expect(result.signing).toBe(Boolean(c.signing));
    // No test money stays held, whatever the fault.
    expect(result.ledger.open).toBe(0);
    const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as { held: unknown[] };
    expect(state.held).toEqual([]);
    await bank.stop();
  });
});
