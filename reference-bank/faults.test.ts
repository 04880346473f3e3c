import { beforeAll, describe, expect, it } from 'vitest';
import { observe } from './fault-probes.ts';
import type { FaultName } from './faults.ts';
import { checksBrokenBy, FAULTS } from './faults.ts';

/** What each fault makes its broken check observe instead; every other observation must stay compliant. */
const FAULTED: Record<FaultName, string> = {
  'long-reference': 'reference of 80',
  'exclusive-minimum': 'min 2050, max 0000',
  'limit-exclusive': 'min 0000, max 2040',
  'ignore-funds': '0000, exact 0000',
  'balance-exclusive': '2010, exact 2010',
  'ignore-auth-code': '0000',
  'unmapped-as-2090': '2090',
  'no-maximum': '0000',
  'no-minimum': '0000',
  'blacklisted-as-inactive': '2080',
  'inactive-allowed': '0000',
  'errors-as-http-400': '200,400',
  'debit-ack-500': 'debit 500, release 200',
  'unknown-ref-200': '200',
  'double-debit-on-retry': 'sequential 3×, concurrent more than once',
  'race-double-debit': 'sequential 1×, concurrent more than once',
  'no-release': 'moved 10800',
  'release-known-codes': 'moved 8400',
  'expiring-holds': '404, debited 0',
  'retry-not-200': 'debit retries 409, release retries 409',
  'duplicate-reserve-holds-twice': 'held 2100, refs 3',
  'repeating-references': '4 distinct of 5',
  'unmatched-cancel': '404, moved 1300',
  'failure-code-2226-500': '500, closed',
  'accept-any-signature': 'wrong 200, missing 200, held 1200, unsigned outcome 200 applied',
  'bad-input-500': 'malformed 500, mistyped 500, missing fields 500 2090, no auth code 2020, health 200',
  'reserve-missing-field': 'malformed 400, mistyped 400, missing fields 200 0000, no auth code 2020, health 200',
  'lenient-informational': 'odd informational fields granted',
  'outcome-unsigned': 'wrong 401, missing 401, held 0, unsigned outcome 200 applied',
  'reflect-markup': '200 text/html; charset=utf-8',
  'slow-every-answer': 'p95 2100 ms',
  'slow-tail': 'p99 2100 ms',
  'past-cutoff': 'max 5200 ms',
  'errors-5xx': '5xx 5 of 500',
  // 15 arrive before the bank is busy; then 2 in 5 of the other 485.
  'shed-load': 'declines 194 of 500',
  'one-at-a-time': 'one at a time',
};

describe('faults', () => {
  let compliant: Map<string, string>;

  beforeAll(async () => {
    compliant = await observe([]);
  });

  it('the compliant bank passes every probe', () => {
    expect(Object.fromEntries(compliant)).toEqual({
      'RF-SCHEMA': 'reference ≤ 64',
      'RF-0000': 'min 0000, max 0000',
      'RF-2010': '2010, exact 0000',
      'RF-2020': '2020',
      'RF-2030': '2030',
      'RF-2040': '2040',
      'RF-2050': '2050',
      'RF-2070': '2070',
      'RF-2080': '2080',
      'RF-REF-UNIQUE': '5 distinct of 5',
      'RF-DUPLICATE': 'held 700, refs 1',
      'TR-ACK': 'debit 200, release 200',
      'TR-404': '404',
      'TR-RETRY': 'debit retries 200, release retries 200',
      'SF-DEBIT-ONCE': 'sequential 1×, concurrent 1×',
      'SF-RELEASE': 'moved 0',
      'SF-LATE-OUTCOME': '200, debited 1500',
      'SF-TIMEOUT-CANCEL': '200, moved 0',
      'SF-CLEANUP': '200, closed',
      'SEC-SIGNATURE': 'wrong 401, missing 401, held 0, unsigned outcome 401 ignored',
      'SEC-BAD-INPUT': 'malformed 400, mistyped 400, missing fields 400 2090, no auth code 2020, health 200',
      'SEC-STRICT-INPUT': 'odd informational fields refused',
      'RF-HTTP-200': '200',
      'LD-P95': 'p95 under 2 s',
      'LD-P99': 'p99 under 2 s',
      'LD-MAX': 'max under 5 s',
      'LD-ERRORS': '5xx 0 of 500',
      'LD-DECLINES': 'declines 0 of 500',
      'LD-CAPACITY': 'concurrently',
    });
  });

  // Concurrent: each fault gets its own bank, and the waits (race-double-debit's gap) overlap.
  // A fault may also change the checks its rule implies (alsoBreaks), and nothing else.
  it.concurrent.for(Object.keys(FAULTS) as FaultName[])('%s changes exactly its own check', async (fault, { expect }) => {
    const seen = await observe([fault]);
    const changed = [...seen].filter(([id, value]) => compliant.get(id) !== value).map(([id]) => id);
    expect(changed.sort()).toEqual(checksBrokenBy(fault).sort());
    expect(seen.get(FAULTS[fault].breaks)).toBe(FAULTED[fault]);
  });
});
