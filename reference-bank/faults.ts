import type { CheckId } from '../checks/ids.ts';

export interface FaultSpec {
  breaks: CheckId;
  /** Checks that cannot pass once `breaks` fails (a p95 over the limit puts p99 over it too). */
  alsoBreaks?: readonly CheckId[];
  description: string;
}

/** release-known-codes: the failure codes such a bank saw in testing (the harness's cancel and cleanup codes). */
export const KNOWN_FAILURE_CODES = [2239, 2226] as const;
/** expiring-holds: how long a hold lives (an outcome may arrive well after the 5 s cut-off). */
export const HOLD_EXPIRY_MS = 3_000;

/**
 * Named defects of the reference bank. Each breaks exactly one rule (plus what that rule implies, see
 * alsoBreaks) so that the end-to-end tests can prove the matching check fails there and nowhere else
 * (house rule 3).
 */
export const FAULTS = {
  'long-reference': { breaks: 'RF-SCHEMA', description: 'answers 0000 with an 80-character reserveFundsTxnRef (and accepts it back in transactResult)' },
  'exclusive-minimum': { breaks: 'RF-0000', description: 'treats minimumAmount as exclusive: a reservation of exactly the minimum gets 2050' },
  'limit-exclusive': { breaks: 'RF-0000', description: 'treats maximumAmount as exclusive: a reservation of exactly the maximum gets 2040' },
  'ignore-funds': { breaks: 'RF-2010', description: 'reserves without checking available funds' },
  'balance-exclusive': { breaks: 'RF-2010', description: 'needs more than the amount available: a reservation of exactly the available balance gets 2010' },
  // An account with an auth code asks for one on every request: a bank that reads none also grants SEC-BAD-INPUT's missing one.
  'ignore-auth-code': { breaks: 'RF-2020', alsoBreaks: ['SEC-BAD-INPUT'], description: 'does not verify authCode' },
  'unmapped-as-2090': {
    breaks: 'RF-2030',
    description: 'its account lookup fails on an unknown sourceIdentifier and answers 2090 (unknown error) instead of 2030',
  },
  'no-maximum': { breaks: 'RF-2040', description: 'does not enforce maximumAmount' },
  'no-minimum': { breaks: 'RF-2050', description: 'does not enforce minimumAmount' },
  'blacklisted-as-inactive': { breaks: 'RF-2070', description: 'answers 2080 instead of 2070 for a blacklisted account' },
  'inactive-allowed': { breaks: 'RF-2080', description: 'reserves on inactive accounts' },
  'errors-as-http-400': { breaks: 'RF-HTTP-200', description: 'sends every non-0000 responseCode with HTTP 400' },
  // A late dispensed outcome is a dispensed outcome: its answer is the same 500.
  'debit-ack-500': { breaks: 'TR-ACK', alsoBreaks: ['SF-LATE-OUTCOME'], description: 'debits on a dispensed outcome but answers HTTP 500' },
  'unknown-ref-200': { breaks: 'TR-404', description: 'answers 200 to transactResult for an unknown reservation' },
  'double-debit-on-retry': { breaks: 'SF-DEBIT-ONCE', description: 'debits the amount again on every delivery of a dispensed outcome, retries included' },
  'race-double-debit': {
    breaks: 'SF-DEBIT-ONCE',
    description: 'checks the reservation, waits 25 ms, then debits without re-checking: concurrent first deliveries each debit',
  },
  'no-release': { breaks: 'SF-RELEASE', description: 'a failure outcome marks the reservation released but never removes its hold' },
  'release-known-codes': {
    breaks: 'SF-RELEASE',
    description: `releases only on the failure codes it was tested with (${KNOWN_FAILURE_CODES.join(' and ')}); debits on any other non-zero outcome`,
  },
  // The reservation it forgot can never be acknowledged, so the harness's cleanup cannot close it either.
  'expiring-holds': {
    breaks: 'SF-LATE-OUTCOME',
    alsoBreaks: ['SF-CLEANUP'],
    description: `drops a hold ${HOLD_EXPIRY_MS / 1000} s after the reservation and forgets it: a later outcome gets 404 and the product is never paid for`,
  },
  'retry-not-200': { breaks: 'TR-RETRY', description: 'answers 409 to transactResult for a reservation that already has its outcome' },
  'duplicate-reserve-holds-twice': {
    breaks: 'RF-DUPLICATE',
    description: 'a repeated reserveFunds (same raasTxnRef) holds the amount again under a new reserveFundsTxnRef',
  },
  'repeating-references': {
    breaks: 'RF-REF-UNIQUE',
    description: 'hands out reserveFundsTxnRef from a cycle of 4 values (matches transactResult by reference and raasTxnRef)',
  },
  'unmatched-cancel': {
    breaks: 'SF-TIMEOUT-CANCEL',
    description: 'answers 404 to a cancel with an empty reserveFundsTxnRef instead of matching it by raasTxnRef',
  },
  'failure-code-2226-500': {
    breaks: 'SF-CLEANUP',
    description: 'releases on failure code 2226 (used for cleanup) like on any other, but cannot map it for its log and answers HTTP 500',
  },
  'accept-any-signature': {
    breaks: 'SEC-SIGNATURE',
    description: 'with a secret set, never verifies the Signature header: missing or wrong signatures are accepted',
  },
  'bad-input-500': { breaks: 'SEC-BAD-INPUT', description: 'answers HTTP 500 instead of 400 to any body it cannot parse or validate' },
  'reserve-missing-field': {
    breaks: 'SEC-BAD-INPUT',
    description: 'reserveFunds without a clientTxnRef (a reference the bank must keep) still reserves; every other field is checked as usual',
  },
  'lenient-informational': {
    breaks: 'SEC-STRICT-INPUT',
    description:
      'validates only the fields it acts on: odd or missing informational fields (productId, productType, the other amounts, timestamp, …) are let through',
  },
  'outcome-unsigned': { breaks: 'SEC-SIGNATURE', description: 'with a secret set, transactResult skips signature verification (reserveFunds still verifies)' },
  'reflect-markup': {
    breaks: 'TR-404',
    description: 'answers an unknown transactResult with 200 and an HTML page of script, and puts markup in a "message" field of every reserveFunds answer',
  },
  'slow-every-answer': { breaks: 'LD-P95', alsoBreaks: ['LD-P99'], description: 'delays every reserveFunds answer by 2100 ms' },
  'slow-tail': { breaks: 'LD-P99', description: 'delays reserveFunds number n by 2100 ms when n % 100 < 3 (3 %: p95 fast, p99 slow)' },
  'past-cutoff': { breaks: 'LD-MAX', description: 'delays reserveFunds number n by 5200 ms when n % 500 = 250 (0.2 %), then answers normally' },
  'errors-5xx': { breaks: 'LD-ERRORS', description: 'answers reserveFunds number n with HTTP 503 and reserves nothing when n % 100 = 50 (1 %)' },
  'shed-load': {
    breaks: 'LD-DECLINES',
    description: 'sheds load: while more than 15 reserveFunds arrived in the last second, answers 2 in 5 of them 2060 at once, reserving nothing',
  },
  // A known capacity (1000 / serviceMs per second): LD-CAPACITY fails when thresholds.minCapacity is above it
  // (without one LD-CAPACITY is informational and only reports it).
  'one-at-a-time': {
    breaks: 'LD-CAPACITY',
    description: 'serves reserveFunds strictly one at a time, each taking --service-ms (default 20 ms): capacity 1000 / service-ms per second',
  },
} as const satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;

/** Every check the fault makes fail: its own rule first, then the ones that rule implies. */
export function checksBrokenBy(name: FaultName): CheckId[] {
  const fault: FaultSpec = FAULTS[name];
  return [fault.breaks, ...(fault.alsoBreaks ?? [])];
}

export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(FAULTS, name);
}
