import { describe, it } from 'vitest';
import type { CheckId } from '../../checks/ids.ts';
import { runFaultCase, type FaultCase } from '../helpers/fault-case.ts';

const suites: FaultCase['suites'] = ['security'];

const CASES: FaultCase[] = [
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
    expectedFailing: ['SF-TIMEOUT-CANCEL', 'SEC-STRICT-INPUT' as CheckId],
  },
  { name: 'any signature accepted', fault: 'accept-any-signature', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-SIGNATURE'] },
  { name: 'malformed input answered 500', fault: 'bad-input-500', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-BAD-INPUT'] },
  { name: 'reserves with required fields missing', fault: 'reserve-missing-field', suites, signing: true, expectedExit: 1, expectedFailing: ['SEC-BAD-INPUT'] },
  { name: 'markup reflected (report safety)', fault: 'reflect-markup', suites: ['conformance'], expectedExit: 1, expectedFailing: ['TR-404'] },
];

describe('security suite against the reference bank (real k6, real HTTP)', () => {
  it.each(CASES)('$name → exit $expectedExit, not passing: $expectedFailing', runFaultCase);
});
