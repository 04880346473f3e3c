import { defineCheck } from '../define.ts';

const CONFIDENCE_RULE =
  'Per endpoint, the answers at or over the target among every request under the load profile; exact (Clopper-Pearson) one-sided 95 % bounds on that share decide: pass when the upper bound is within the allowed share, fail when the lower bound is above it, inconclusive in between (too few answers).';

export const LOAD_CHECKS = {
  'LD-P95': defineCheck({
    id: 'LD-P95',
    title: 'p95 latency under 2000 ms under load (95 % confidence)',
    level: 'MUST',
    suite: 'load',
    sources: [{ source: 'gettingStarted', section: '1.2 Process request: response time (preferably under 2 seconds)' }],
    remediation: 'Profile the reservation path under the load profile; answer 2060 yourself rather than exceed 2 s.',
    observedBy: `${CONFIDENCE_RULE} Allowed share: 5 %.`,
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: "The load profile: load.expectedPeakRate (or the profile's rate) iterations per second, each a reservation on accounts.load released at once (load.dispensedShare debits some).",
  }),
  'LD-P99': defineCheck({
    id: 'LD-P99',
    title: 'p99 latency under 2000 ms under load (95 % confidence)',
    level: 'MUST',
    suite: 'load',
    sources: [{ source: 'gettingStarted', section: '1.2 Process request: response time (preferably under 2 seconds)' }],
    remediation: 'Find the slow tail (locks, GC pauses, cold connections) and bound it below 2 s.',
    observedBy: `${CONFIDENCE_RULE} Allowed share: 1 %.`,
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: 'The load profile (see LD-P95).',
  }),
  'LD-MAX': defineCheck({
    id: 'LD-MAX',
    title: 'No reserveFunds answer reaches the 5 s cut-off',
    level: 'MUST',
    suite: 'load',
    sources: [{ source: 'gettingStarted', section: '1.3 Respond with reservation status (Clickatell cancels after five seconds)' }],
    remediation: 'Put a deadline below 5 s on every reservation and answer 2060 when it passes.',
    observedBy: 'The maximum reserveFunds duration under the load profile.',
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: 'The load profile (see LD-P95).',
  }),
  'LD-ERRORS': defineCheck({
    id: 'LD-ERRORS',
    title: 'Transport errors and 5xx stay within budget',
    level: 'MUST',
    suite: 'load',
    sources: [{ source: 'gettingStarted', section: '1.3 Respond with reservation status' }],
    remediation: 'Find the source of the errors (connection limits, pool exhaustion, timeouts) at the tested rate.',
    observedBy: 'Share of requests with a transport error or a 5xx status under the load profile.',
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: 'The load profile (see LD-P95).',
  }),
  'LD-DECLINES': defineCheck({
    id: 'LD-DECLINES',
    title: 'Funded load accounts are not declined under load',
    level: 'MUST',
    suite: 'load',
    sources: [
      { source: 'gettingStarted', section: '1.2 Process request: response time ("Time-out" when the bank cannot decide in time)' },
      { source: 'errorsTable', section: '2060 Internal time-out, 2090 Unknown error' },
      { source: 'bankcert', section: 'LD-DECLINES' },
    ],
    remediation:
      'Every load account is active and funded: a code other than 0000 under load (2060, 2090, 2010, …) is the bank refusing work it should do. Find why it sheds or fails requests at this rate (timeouts, pools, queues) instead of answering fast with a refusal.',
    observedBy:
      "Share of reserveFunds answered (not a transport error or 5xx, which LD-ERRORS counts) with a responseCode other than 0000, or none, from every load iteration's record, against thresholds.declineRate.",
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: 'No traffic of its own: every reserveFunds answer of the load profile.',
    reading:
      'The getting started guide lets a bank answer "Time-out" (2060) when it cannot decide in time, so a 2060 is a documented answer; but a certificate of performance that counted fast refusals as fast answers would prove nothing. Every answer other than 0000 for the funded load accounts counts against thresholds.declineRate (default 0.1 %).',
  }),
  'LD-CAPACITY': defineCheck({
    id: 'LD-CAPACITY',
    title: 'Highest sustained rate that meets the p95 target (at least thresholds.minCapacity when set)',
    level: 'INFO',
    levelWhen: { setting: 'minCapacity', level: 'MUST' },
    suite: 'load',
    sources: [{ source: 'gettingStarted', section: '1.2 Process request: response time (preferably under 2 seconds)' }],
    remediation:
      'With thresholds.minCapacity set, find what limits throughput below the declared minimum (serial sections, pool sizes, connection limits); without it, compare the figure with the traffic you expect from the platform.',
    observedBy:
      'The capacity profile steps the arrival rate until p95, the error budget or the decline budget breaks; with thresholds.minCapacity the highest rate that held must reach it.',
    needs: [['load', 'funded']],
    judgedBy: 'load',
    cost: 'The capacity profile: constant-rate steps on accounts.load, each reservation released at once.',
  }),
} as const;
