import { describe, it } from 'vitest';
import { runFaultCase, type FaultCase } from '../helpers/fault-case.ts';

const suites: FaultCase['suites'] = ['security'];

const CASES: FaultCase[] = [
  // SEC-STRICT-INPUT passes too: the strict reference bank refuses every odd informational field.
  { name: 'compliant bank, signed', suites, signing: true, expectedExit: 0, expectedFailing: [] },
  // Without signing SEC-SIGNATURE does not apply (skipped), and the certificate still holds.
  { name: 'compliant bank, unsigned', suites, expectedExit: 0, expectedFailing: [] },
  // The minimal personality, every functional suite, signed: it grants odd informational fields (a SEC-STRICT-INPUT
  // warning) and does not match a timeout cancel (an SF-TIMEOUT-CANCEL warning), and is certified.
  {
    name: 'minimal compliant bank, all functional suites, signed',
    suites: ['conformance', 'safety', 'security'],
    bankArgs: ['--minimal'],
    signing: true,
    expectedExit: 0,
    expectedFailing: ['SF-TIMEOUT-CANCEL', 'SEC-STRICT-INPUT'],
  },
  { name: 'any signature accepted', fault: 'accept-any-signature', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-SIGNATURE'] },
  { name: 'transactResult not verified', fault: 'outcome-unsigned', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-SIGNATURE'] },
  { name: 'malformed input answered 500', fault: 'bad-input-500', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-BAD-INPUT'] },
  { name: 'reserves without clientTxnRef', fault: 'reserve-missing-field', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-BAD-INPUT'] },
  // Both sides of the auth code's role: ignored where the account has one is a must failure...
  { name: 'auth code not checked', fault: 'ignore-auth-code', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-BAD-INPUT'] },
  // ...ignored where it has none, like every informational field, is a warning and nothing more (no false failure).
  { name: 'informational fields not validated', fault: 'lenient-informational', suites, signing: true, expectedExit: 0, expectedFailing: ['SEC-STRICT-INPUT'] },
  { name: 'markup reflected (report safety)', fault: 'reflect-markup', suites: ['conformance'], expectedExit: 1, expectedFailing: ['TR-404'] },
];

describe('security suite against the reference bank (real k6, real HTTP)', () => {
  it.each(CASES)('$name → exit $expectedExit, not passing: $expectedFailing', runFaultCase);
});
