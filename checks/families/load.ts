import { defineCheck } from '../define.ts';

const TIMING_REF = 'spec: The flow §1 (2 s target, 5 s cut-off); seed 003 §1.2';

export const LOAD_CHECKS = {
  'LD-P95': defineCheck({
    id: 'LD-P95',
    title: 'p95 latency under 2000 ms under load',
    level: 'MUST',
    suite: 'load',
    specRef: TIMING_REF,
    remediation: 'Profile the reservation path under the load profile; answer 2060 yourself rather than exceed 2 s.',
    observedBy: 'k6 http_req_duration p95 per endpoint under the configured load profile.',
    needs: ['load'],
  }),
  'LD-P99': defineCheck({
    id: 'LD-P99',
    title: 'p99 latency under 2000 ms under load',
    level: 'MUST',
    suite: 'load',
    specRef: TIMING_REF,
    remediation: 'Find the slow tail (locks, GC pauses, cold connections) and bound it below 2 s.',
    observedBy: 'k6 http_req_duration p99 per endpoint under the configured load profile.',
    needs: ['load'],
  }),
  'LD-MAX': defineCheck({
    id: 'LD-MAX',
    title: 'No reserveFunds answer reaches the 5 s cut-off',
    level: 'MUST',
    suite: 'load',
    specRef: TIMING_REF,
    remediation: 'Put a deadline below 5 s on every reservation and answer 2060 when it passes.',
    observedBy: 'The maximum reserveFunds duration under the load profile.',
    needs: ['load'],
  }),
  'LD-ERRORS': defineCheck({
    id: 'LD-ERRORS',
    title: 'Transport errors and 5xx stay within budget',
    level: 'MUST',
    suite: 'load',
    specRef: TIMING_REF,
    remediation: 'Find the source of the errors (connection limits, pool exhaustion, timeouts) at the tested rate.',
    observedBy: 'Share of requests with a transport error or a 5xx status under the load profile.',
    needs: ['load'],
  }),
  'LD-CAPACITY': defineCheck({
    id: 'LD-CAPACITY',
    title: 'Highest sustained rate that meets the p95 target',
    level: 'INFO',
    suite: 'load',
    specRef: TIMING_REF,
    remediation: 'Informational: compare with the traffic you expect from the platform.',
    observedBy: 'The capacity profile steps the arrival rate until p95 or the error budget breaks.',
    needs: ['load'],
  }),
} as const;
