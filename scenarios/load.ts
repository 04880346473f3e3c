import exec from 'k6/execution';
import { Trend } from 'k6/metrics';
import { dueAtS, peakRate, type LoadSchedule } from '../checks/load-profile.ts';
import type { ObserveContext } from '../checks/observe/context.ts';
import { loadIteration } from '../checks/observe/load.ts';
import { LOAD_SCHEDULE_ENV, SUMMARY_ENV } from '../checks/plan.ts';
import { loadPlan, loadSecrets, observeContext, tlsOptions } from './lib/context.ts';

const plan = loadPlan();
const secrets = loadSecrets();
const schedule = JSON.parse(__ENV[LOAD_SCHEDULE_ENV] ?? 'null') as LoadSchedule;
if (!schedule) throw new Error(`${LOAD_SCHEDULE_ENV} is not set: run the load suite through the bankcert CLI`);

const peak = peakRate(schedule);
// Open model: k6 starts iterations on schedule whatever the bank does. Enough VUs for every iteration
// to wait out the longest answer the timeout allows; the harness reports dropped iterations if not.
const maxVUs = Math.min(2000, Math.ceil(peak * (plan.load.timeoutMs / 1000)) + 10);

// Benchmarks only (bench/): a closed model with a fixed number of VUs and no pacing measures the
// highest rate the iteration itself allows. Certification always uses the open model above.
const closedVUs = Number(__ENV.BANKCERT_BENCH_VUS ?? 0);

export const options = {
  scenarios: {
    load:
      closedVUs > 0
        ? { executor: 'constant-vus', vus: closedVUs, duration: `${schedule.stages[0]?.durationS ?? 10}s`, gracefulStop: '3s' }
        : {
            executor: 'ramping-arrival-rate',
            startRate: schedule.startRate,
            timeUnit: '1s',
            preAllocatedVUs: Math.min(maxVUs, Math.ceil(peak) + 5),
            maxVUs,
            stages: schedule.stages.map((s) => ({ target: s.target, duration: `${s.durationS}s` })),
            // Iterations still waiting at the end are cut quickly; the CLI cancels their reservations.
            gracefulStop: '3s',
          },
  },
  ...tlsOptions(plan),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

const scheduleLag = new Trend('bankcert_schedule_lag', true);
let ctx: ObserveContext | undefined;

export default function (): void {
  ctx ??= observeContext(plan, secrets, 'load', { timeoutMs: plan.load.timeoutMs, lean: true });
  const n = exec.scenario.iterationInTest;
  if (closedVUs === 0) scheduleLag.add(Math.max(0, Date.now() - (exec.scenario.startTime + dueAtS(schedule, n) * 1000)));
  loadIteration(ctx, n);
}

export function handleSummary(data: unknown): Record<string, string> {
  const path = __ENV[SUMMARY_ENV];
  return path ? { [path]: JSON.stringify(data, null, 2) } : {};
}
