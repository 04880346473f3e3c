import { defineCheck } from '../define.ts';

export const TRANSACT_RESULT_CHECKS = {
  'TR-ACK': defineCheck({
    id: 'TR-ACK',
    title: 'transactResult for a known reservation is acknowledged with 200',
    level: 'MUST',
    suite: 'conformance',
    specRef: 'spec: transactResult request/response; seed 003 §2.3',
    remediation: 'Answer HTTP 200 to transactResult for every reservation you made, for a dispensed (0) and a failed (non-zero) outcome.',
    observedBy: 'One reservation finished with outcome 0 (debit) and one with a failure outcome (release).',
    needs: ['funded'],
  }),
  'TR-404': defineCheck({
    id: 'TR-404',
    title: 'transactResult for an unknown reservation answers 404',
    level: 'MUST',
    suite: 'conformance',
    specRef: 'spec: transactResult response; seed 003 §2.3',
    remediation: 'Answer HTTP 404 when reserveFundsTxnRef (and raasTxnRef) match no reservation.',
    observedBy: 'transactResult with a fresh random reserveFundsTxnRef and raasTxnRef.',
    needs: [],
  }),
  'TR-RETRY': defineCheck({
    id: 'TR-RETRY',
    title: 'Repeated transactResult deliveries are all acknowledged',
    level: 'MUST',
    suite: 'safety',
    specRef: 'spec: The flow §3 (re-sends); seed 003 §2.3',
    remediation: 'Treat a repeated transactResult for a finished reservation as already done and answer 200 again, also when the copies arrive at the same time.',
    observedBy: 'The same transactResult delivered N times in sequence and N times concurrently, for a dispensed and a failed outcome.',
    needs: ['funded'],
  }),
} as const;
