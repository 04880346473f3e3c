import { describe, expect, it } from 'vitest';
import { checkById } from '../../checks/catalogue.ts';
import { FAULTS } from '../../reference-bank/faults.ts';
import { runFaultCase, type FaultCase } from '../helpers/fault-case.ts';

const suites: FaultCase['suites'] = ['conformance'];

const CASES: FaultCase[] = [
  { name: 'compliant bank, unsigned', suites, expectedExit: 0, expectedFailing: [] },
  { name: 'compliant bank, signed', suites, signing: true, expectedExit: 0, expectedFailing: [] },
  // The minimal personality validates only the fields a bank acts on: a compliant bank must certify all the same.
  { name: 'minimal compliant bank, unsigned', suites, bankArgs: ['--minimal'], expectedExit: 0, expectedFailing: [] },
  { name: 'minimal compliant bank, signed', suites, bankArgs: ['--minimal'], signing: true, expectedExit: 0, expectedFailing: [] },
  { name: 'long reserveFundsTxnRef', fault: 'long-reference', suites, expectedExit: 1, expectedFailing: ['RF-SCHEMA'] },
  { name: 'minimum treated as exclusive', fault: 'exclusive-minimum', suites, expectedExit: 1, expectedFailing: ['RF-0000'] },
  { name: 'maximum treated as exclusive', fault: 'limit-exclusive', suites, expectedExit: 1, expectedFailing: ['RF-0000'] },
  { name: 'funds not checked', fault: 'ignore-funds', suites, expectedExit: 1, expectedFailing: ['RF-2010'] },
  { name: 'exactly the balance refused', fault: 'balance-exclusive', suites, expectedExit: 1, expectedFailing: ['RF-2010'] },
  { name: 'auth code not checked', fault: 'ignore-auth-code', suites, expectedExit: 1, expectedFailing: ['RF-2020'] },
  { name: 'unmapped answered 2090', fault: 'unmapped-as-2090', suites, expectedExit: 1, expectedFailing: ['RF-2030'] },
  // The public errors table documents 2020 for an unknown sourceIdentifier: a warning, never a failure.
  { name: 'unmapped answered 2020 (documented in the errors table)', bankArgs: ['--unknown-as-2020'], suites, expectedExit: 0, expectedFailing: ['RF-2030'] },
  { name: 'no maximum', fault: 'no-maximum', suites, expectedExit: 1, expectedFailing: ['RF-2040'] },
  { name: 'no minimum', fault: 'no-minimum', suites, expectedExit: 1, expectedFailing: ['RF-2050'] },
  { name: 'blacklisted answered 2080', fault: 'blacklisted-as-inactive', suites, expectedExit: 1, expectedFailing: ['RF-2070'] },
  { name: 'inactive accounts reserve', fault: 'inactive-allowed', suites, expectedExit: 1, expectedFailing: ['RF-2080'] },
  // RF-HTTP-200 is a SHOULD: the certificate still holds, with a warning on that row only.
  { name: 'refusals as HTTP 400', fault: 'errors-as-http-400', suites, expectedExit: 0, expectedFailing: ['RF-HTTP-200'] },
  { name: 'debit acknowledged with 500', fault: 'debit-ack-500', suites, expectedExit: 1, expectedFailing: ['TR-ACK'] },
  { name: 'unknown reference answered 200', fault: 'unknown-ref-200', suites, expectedExit: 1, expectedFailing: ['TR-404'] },
];

describe('conformance suite against the reference bank (real k6, real HTTP)', () => {
  it('every conformance fault has a case', () => {
    // reflect-markup also breaks TR-404; its case lives with the security tests (report safety).
    const conformanceFaults = Object.entries(FAULTS).filter(([name, f]) => checkById(f.breaks).suite === 'conformance' && name !== 'reflect-markup');
    expect(
      CASES.map((c) => c.fault)
        .filter(Boolean)
        .sort(),
    ).toEqual(conformanceFaults.map(([n]) => n).sort());
  });

  it.each(CASES)('$name → exit $expectedExit, not passing: $expectedFailing', runFaultCase);
});
