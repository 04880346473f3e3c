import { defineCheck } from '../define.ts';


export const LOAD_CHECKS = {
  'LD-P95': defineCheck({
    id: 'LD-P95',
    title: 'p95 latency under 2000 ms under load',
    level: 'MUST',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: "1.2 Process request: response time (preferably under 2 seconds)" },
    ],
    remediation: 'Profile the reservation path under the load profile; answer 2060 yourself rather than exceed 2 s.',
    observedBy: 'k6 http_req_duration p95 per endpoint under the configured load profile.',
    needs: ['load'],
    cost: "The load profile: load.expectedPeakRate (or the profile's rate) iterations per second, each a reservation on accounts.load released at once (load.dispensedShare debits some).",
  }),
  'LD-P99': defineCheck({
    id: 'LD-P99',
    title: 'p99 latency under 2000 ms under load',
    level: 'MUST',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: "1.2 Process request: response time (preferably under 2 seconds)" },
    ],
    remediation: 'Find the slow tail (locks, GC pauses, cold connections) and bound it below 2 s.',
    observedBy: 'k6 http_req_duration p99 per endpoint under the configured load profile.',
    needs: ['load'],
    cost: "The load profile (see LD-P95).",
  }),
  'LD-MAX': defineCheck({
    id: 'LD-MAX',
    title: 'No reserveFunds answer reaches the 5 s cut-off',
    level: 'MUST',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: "1.3 Respond with reservation status (Clickatell cancels after five seconds)" },
    ],
    remediation: 'Put a deadline below 5 s on every reservation and answer 2060 when it passes.',
    observedBy: 'The maximum reserveFunds duration under the load profile.',
    needs: ['load'],
    cost: "The load profile (see LD-P95).",
  }),
  'LD-ERRORS': defineCheck({
    id: 'LD-ERRORS',
    title: 'Transport errors and 5xx stay within budget',
    level: 'MUST',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: "1.3 Respond with reservation status" },
    ],
    remediation: 'Find the source of the errors (connection limits, pool exhaustion, timeouts) at the tested rate.',
    observedBy: 'Share of requests with a transport error or a 5xx status under the load profile.',
    needs: ['load'],
    cost: "The load profile (see LD-P95).",
  }),
  'LD-CAPACITY': defineCheck({
    id: 'LD-CAPACITY',
    title: 'Highest sustained rate that meets the p95 target',
    level: 'INFO',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: "1.2 Process request: response time (preferably under 2 seconds)" },
    ],
    remediation: 'Informational: compare with the traffic you expect from the platform.',
    observedBy: 'The capacity profile steps the arrival rate until p95 or the error budget breaks.',
    needs: ['load'],
    cost: "The capacity profile: constant-rate steps on accounts.load, each reservation released at once.",
  }),
} as const;
