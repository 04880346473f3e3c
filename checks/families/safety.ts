import { defineCheck } from '../define.ts';

const FUNDS_REF = 'spec: The flow §3; Check catalogue ("Available funds" is measured black-box)';

export const SAFETY_CHECKS = {
  'SF-DEBIT-ONCE': defineCheck({
    id: 'SF-DEBIT-ONCE',
    title: 'A dispensed outcome debits exactly once',
    level: 'MUST',
    suite: 'safety',
    specRef: FUNDS_REF,
    remediation: 'Apply the debit once per reservation: make the state change conditional on the reservation still being open (compare-and-set or a row lock).',
    observedBy: 'Available funds probed before and after a reservation finished with outcome 0 and its sequential and concurrent retries.',
    needs: ['probe'],
  }),
  'SF-RELEASE': defineCheck({
    id: 'SF-RELEASE',
    title: 'A failed outcome releases the reservation',
    level: 'MUST',
    suite: 'safety',
    specRef: FUNDS_REF,
    remediation: 'On a non-zero transactResult responseCode, release the hold so available funds return to their prior value.',
    observedBy: 'Available funds probed before and after a reservation finished with a failure outcome and its retries.',
    needs: ['probe'],
  }),
  'SF-LATE-OUTCOME': defineCheck({
    id: 'SF-LATE-OUTCOME',
    title: 'An outcome arriving after the 5 s cut-off still debits once',
    level: 'MUST',
    suite: 'safety',
    specRef: FUNDS_REF,
    remediation:
      'Keep a reservation held until its transactResult arrives (the platform may send it long after the 5 s cut-off; exceptions are reported after seven business days), then acknowledge it with 200 and debit once.',
    observedBy:
      'A reservation on the probe account made first in the safety suite and finished with "dispensed" at least safety.lateOutcomeS seconds later (default 10); available funds probed while it is held and after the outcome.',
    needs: ['probe'],
  }),
  'SF-TIMEOUT-CANCEL': defineCheck({
    id: 'SF-TIMEOUT-CANCEL',
    title: 'An abandoned reservation is released by the cancel',
    level: 'SHOULD',
    suite: 'safety',
    specRef: 'spec: Ambiguities (timeout cancellation); seed 003 §1.3',
    remediation: 'Match a transactResult with an empty reserveFundsTxnRef by raasTxnRef and release that reservation.',
    observedBy: 'A reservation whose answer is discarded, then a failure transactResult with the configured cancel reference; funds probed after.',
    needs: ['probe'],
  }),
  'SF-CLEANUP': defineCheck({
    id: 'SF-CLEANUP',
    title: 'No reservation of the harness is left open',
    level: 'MUST',
    suite: 'safety',
    specRef: 'spec: The flow §3 (7-day exception report)',
    remediation: 'Acknowledge the harness\'s failure transactResult for every open reservation; run `bankcert reconcile DIR` for an interrupted run.',
    observedBy: 'The ledger: every 0000 reservation has an acknowledged outcome after the run and its cleanup.',
    needs: [],
  }),
} as const;
