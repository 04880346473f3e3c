import { defineCheck } from '../define.ts';

export const TRANSACT_RESULT_CHECKS = {
  'TR-ACK': defineCheck({
    id: 'TR-ACK',
    title: 'transactResult for a known reservation is acknowledged with 200',
    level: 'MUST',
    suite: 'conformance',
    sources: [
      { source: 'gettingStarted', section: '2.3 Confirm receipt of outcome' },
      { source: 'apiReference', section: 'transactResult, responses: 200 (no content)' },
    ],
    remediation: 'Answer HTTP 200 to transactResult for every reservation you made, for a dispensed (0) and a failed (non-zero) outcome.',
    observedBy: 'One reservation finished with outcome 0 (debit) and one with a failure outcome (release).',
    needs: ['funded'],
    judgedBy: 'k6',
    cost: "The outcomes of RF-0000's reservations: one dispensed (a debit of the typical amount on accounts.funded), three released.",
  }),
  'TR-404': defineCheck({
    id: 'TR-404',
    title: 'transactResult for an unknown reservation answers 404',
    level: 'MUST',
    suite: 'conformance',
    sources: [{ source: 'gettingStarted', section: '2.3 Confirm receipt of outcome (HTTP 404 when no reservation matches)' }],
    remediation: 'Answer HTTP 404 when reserveFundsTxnRef (and raasTxnRef) match no reservation.',
    observedBy: 'transactResult with a fresh random reserveFundsTxnRef and raasTxnRef.',
    needs: [],
    judgedBy: 'k6',
    cost: '1 transactResult for a reference no bank can know; no money.',
  }),
  'TR-RETRY': defineCheck({
    id: 'TR-RETRY',
    title: 'Repeated transactResult deliveries are all acknowledged',
    level: 'MUST',
    suite: 'safety',
    sources: [
      { source: 'gettingStarted', section: '2.3 Confirm receipt of outcome (several attempts to resend)' },
      { source: 'transactResultApi', section: 'acknowledge only' },
    ],
    remediation:
      'Treat a repeated transactResult for a finished reservation as already done and answer 200 again, also when the copies arrive at the same time.',
    observedBy: 'The same transactResult delivered N times in sequence and N times concurrently, for a dispensed and a failed outcome.',
    needs: [['funded', 'probe']],
    judgedBy: 'k6',
    cost: 'The deliveries of SF-DEBIT-ONCE and SF-RELEASE: safety.deliveries copies of each outcome, in sequence and at once.',
  }),
} as const;
