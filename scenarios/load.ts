import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { loadDriver, STARTED_METRIC, type LoadDriver, type LoadIo } from '../checks/load-driver.ts';
import { dueAtS, peakRate, type LoadSchedule } from '../checks/load-profile.ts';
import { LOAD_SCHEDULE_ENV } from '../checks/plan.ts';
import { k6Hmac } from './lib/k6-transport.ts';
import { loadPlan, loadSecrets, referencePrefix, tlsOptions } from './lib/context.ts';
import { SUMMARY_TREND_STATS } from './lib/summary.ts';

const plan = loadPlan();
const secrets = loadSecrets();
const schedule = JSON.parse(__ENV[LOAD_SCHEDULE_ENV] ?? 'null') as LoadSchedule;
if (!schedule) throw new Error(`${LOAD_SCHEDULE_ENV} is not set: run the load suite through the bankcert CLI`);

const peak = peakRate(schedule);
// Open model: k6 starts iterations on schedule whatever the bank does. Enough VUs for every iteration
// to wait out the longest answer the timeout allows; the harness reports dropped iterations if not.
const maxVUs = Math.min(2000, Math.ceil(peak * (plan.load.timeoutMs / 1000)) + 10);
// k6 drops an iteration that finds no idle VU while it initialises another, so the VUs a bank within the
// spec needs (two answers of up to 2 s per iteration) are there from the start; a VU costs about half a
// MiB (bench/RESULTS.md). Only a bank slower than the spec makes k6 add VUs, and drop iterations meanwhile.
const SPEC_ITERATION_S = 4;
// Iterations still running when the schedule ends may finish (each request is bounded by the load
// timeout): so a normal end cuts none and every started iteration's line reaches the ledger, which then
// needs no cleanup at all (scripts/run/event-ledger.ts). Only a bank still hanging that long delays the end.
// Capacity steps overload the bank on purpose: their backlog is cut after 3 s and cleaned up instead.
const gracefulStop = schedule.profile === 'capacity' ? '3s' : `${Math.ceil((2 * plan.load.timeoutMs) / 1000) + 1}s`;
const preAllocatedVUs = Math.min(maxVUs, Math.ceil(peak * SPEC_ITERATION_S) + 10);

// Benchmarks only (bench/): a closed model with a fixed number of VUs and no pacing measures the
// highest rate the iteration itself allows. Certification always uses the open model above.
const closedVUs = Number(__ENV.BANKCERT_BENCH_VUS ?? 0);

export const options = {
  scenarios: {
    load:
      closedVUs > 0
        ? { executor: 'constant-vus', vus: closedVUs, duration: `${schedule.stages[0]?.durationS ?? 10}s`, gracefulStop }
        : {
            executor: 'ramping-arrival-rate',
            startRate: schedule.startRate,
            timeUnit: '1s',
            preAllocatedVUs,
            maxVUs,
            stages: schedule.stages.map((s) => ({ target: s.target, duration: `${s.durationS}s` })),
            gracefulStop,
          },
  },
  ...tlsOptions(plan),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

const scheduleLag = new Trend('bankcert_schedule_lag', true);
const started = new Counter(STARTED_METRIC);

// The endpoint tag keeps metric series per endpoint and bounded (never a per-request URL). One tags
// object per endpoint, shared by every request: k6 copies tags, it never changes them.
const tags = { reserveFunds: { endpoint: 'reserveFunds' }, transactResult: { endpoint: 'transactResult' } } as const;
const timeout = `${plan.load.timeoutMs}ms`;
const io: LoadIo = {
  post(url, body, headers, endpoint) {
    const res = http.post(url, body, { headers, timeout, responseType: 'text', tags: tags[endpoint] });
    return { status: res.status, body: typeof res.body === 'string' ? res.body : '' };
  },
  hmac: k6Hmac,
  line: (json) => console.log(json),
  started: () => started.add(1),
  now: () => new Date().toISOString(),
};

let driver: LoadDriver | undefined;

export default function (): void {
  // Built in the first iteration: a VU's id is only known in VU code.
  driver ??= loadDriver(plan, secrets, referencePrefix(plan, 'load'), io);
  const n = exec.scenario.iterationInTest;
  if (closedVUs === 0) scheduleLag.add(Math.max(0, Date.now() - (exec.scenario.startTime + dueAtS(schedule, n) * 1000)));
  driver.iterate(n);
}

export { handleSummary } from './lib/summary.ts';
