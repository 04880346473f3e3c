/** Every check id of the spec's catalogue, in the order the certificate prints them. Stable once shipped. */
export const CHECK_IDS = [
  'RF-SCHEMA',
  'RF-0000',
  'RF-2010',
  'RF-2020',
  'RF-2030',
  'RF-2040',
  'RF-2050',
  'RF-2070',
  'RF-2080',
  'RF-REF-UNIQUE',
  'RF-HTTP-200',
  'RF-DUPLICATE',
  'TR-ACK',
  'TR-404',
  'TR-RETRY',
  'SF-DEBIT-ONCE',
  'SF-RELEASE',
  'SF-LATE-OUTCOME',
  'SF-TIMEOUT-CANCEL',
  'SF-CLEANUP',
  'SEC-SIGNATURE',
  'SEC-BAD-INPUT',
  'SEC-STRICT-INPUT',
  'LD-P95',
  'LD-P99',
  'LD-MAX',
  'LD-ERRORS',
  'LD-DECLINES',
  'LD-CAPACITY',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export const SUITES = ['conformance', 'safety', 'security', 'load'] as const;
export type Suite = (typeof SUITES)[number];

export type Level = 'MUST' | 'SHOULD' | 'INFO';
/**
 * skip: not applicable by configuration (a fixture left out, signing off), never for any other reason.
 * inconclusive: the check was planned and applicable but could not see what it asserts (transport
 * error, an unexpected answer in its setup, a probe that could not measure). A MUST check that is
 * inconclusive makes the run inconclusive.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'inconclusive';
export const STATUSES = ['pass', 'fail', 'warn', 'skip', 'inconclusive'] as const satisfies readonly Status[];

/** Fixture accounts a check may need; a missing one skips the check with the reason shown. */
export const FIXTURE_NAMES = ['funded', 'fundedAuthCode', 'lowBalance', 'inactive', 'blacklisted', 'unmapped', 'probe', 'load'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];
