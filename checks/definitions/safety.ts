import { defineCheck } from '../define.ts';

export const SAFETY_CHECKS = {
  'SF-DEBIT-ONCE': defineCheck({
    id: 'SF-DEBIT-ONCE',
    title: 'A dispensed outcome debits exactly once',
    level: 'MUST',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '2.2 Process request (debit on a successful outcome) and 2.3 (re-sends)' },
      { source: 'transactResultApi', section: 'debit on success' },
    ],
    remediation: 'Apply the debit once per reservation: make the state change conditional on the reservation still being open (compare-and-set or a row lock).',
    observedBy: 'Available funds probed before and after a reservation finished with outcome 0 and its sequential and concurrent retries.',
    needs: ['probe'],
    judgedBy: 'k6',
    cost: '2 reservations of the typical amount on the probe account, each debited (2 × typicalAmount leave the probe account per run), with safety.deliveries deliveries each; 2 probe measurements.',
  }),
  'SF-RELEASE': defineCheck({
    id: 'SF-RELEASE',
    title: 'A failed outcome releases the reservation',
    level: 'MUST',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '2.2 Process request (release on an unsuccessful outcome)' },
      { source: 'errorsTable', section: 'platform failure codes 2201–2242' },
      { source: 'apiReference', section: 'transactResult: responseCode (any code other than 0 is not dispensed)' },
    ],
    remediation: 'On any non-zero transactResult responseCode, documented or not, release the hold so available funds return to their prior value.',
    observedBy:
      'Available funds probed before and after reservations finished with a failure outcome (with retries, and once with each documented failure code and an undocumented one).',
    needs: ['probe'],
    judgedBy: 'k6',
    cost: '11 reservations of the typical amount on the probe account (2 with retries, one per failure code 2201, 2210, 2213, 2214, 2225, 2226, 2239, 2242 and undocumented 9001), all released; 3 probe measurements (one per code more when the total is off).',
    reading: 'Any non-zero responseCode means "not dispensed": a bank must release on every one, documented or not.',
  }),
  'SF-LATE-OUTCOME': defineCheck({
    id: 'SF-LATE-OUTCOME',
    title: 'An outcome arriving after the 5 s cut-off still debits once',
    level: 'MUST',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '1.3 (5 s cut-off) and 2.1 Receive dispensing outcome (seven business days)' },
      { source: 'bankcert', section: 'SF-LATE-OUTCOME' },
    ],
    remediation:
      'Keep a reservation held until its transactResult arrives (the platform may send it long after the 5 s cut-off; exceptions are reported after seven business days), then acknowledge it with 200 and debit once.',
    observedBy:
      'A reservation on the probe account made first in the safety suite and finished with "dispensed" at least safety.lateOutcomeS seconds later (default 10); available funds probed while it is held and after the outcome.',
    needs: ['probe'],
    judgedBy: 'k6',
    cost: '1 reservation of minimumAmount + 1 on the probe account, debited safety.lateOutcomeS seconds later (default 10; the safety suite lasts at least that long); 1 probe measurement.',
    reading:
      "An outcome can arrive well after the platform's 5 s cut-off; the bank waits up to seven business days before reporting an exception, so a hold must not expire in seconds.",
  }),
  'SF-TIMEOUT-CANCEL': defineCheck({
    id: 'SF-TIMEOUT-CANCEL',
    title: 'An abandoned reservation is released by the cancel',
    level: 'SHOULD',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '1.3 Respond with reservation status (cancel after five seconds)' },
      { source: 'bankcert', section: 'SF-TIMEOUT-CANCEL' },
    ],
    remediation: 'Match a transactResult with an empty reserveFundsTxnRef by raasTxnRef and release that reservation.',
    observedBy: 'A reservation whose answer is discarded, then a failure transactResult with the configured cancel reference; funds probed after.',
    needs: ['probe'],
    judgedBy: 'k6',
    cost: '1 reservation of the typical amount on the probe account, cancelled (released); 1 probe measurement.',
    reading:
      'The platform never saw the bank\'s reference, yet reserveFundsTxnRef is required: bankcert sends the original clientTxnRef and raasTxnRef, an empty reserveFundsTxnRef (cancel.reserveFundsTxnRef: "empty" or "raasTxnRef") and cancel.responseCode (default 2239). A bank should match it by raasTxnRef; one that answers 404 leaves the buyer\'s money held until the exception report (a warning).',
  }),
  'SF-CLEANUP': defineCheck({
    id: 'SF-CLEANUP',
    title: 'No reservation of the harness is left open',
    level: 'MUST',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '2.1 Receive dispensing outcome (exception report after seven business days)' },
      { source: 'bankcert', section: 'SF-CLEANUP' },
    ],
    remediation: "Acknowledge the harness's failure transactResult for every open reservation; run `bankcert reconcile DIR` for an interrupted run.",
    observedBy: 'The ledger: every 0000 reservation has an acknowledged outcome after the run and its cleanup.',
    needs: [],
    judgedBy: 'ledger',
    cost: '1 reservation of the typical amount on accounts.funded left open on purpose and released by the post-run cleanup (transactResult 2226).',
    reading: 'A check of the harness: every reservation it made ends with an acknowledged outcome, counted from its ledger whatever the bank answered.',
  }),
} as const;
