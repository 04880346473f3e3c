import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { batchedUntil, EVERY_ITERATION, loadDriver, RAW_SAMPLES_ENV, STARTED_METRIC, type LoadDriver, type LoadIo } from '../checks/load-driver.ts';
import type { LoadEndEvent } from '../checks/load-records.ts';
import { dueAtS, peakRate, type LoadSchedule } from '../checks/load-profile.ts';
import { LOAD_SCHEDULE_ENV } from '../checks/plan.ts';
import { k6Hmac } from './lib/k6-transport.ts';
import { loadPlan, loadSecrets, referencePrefix, tlsOptions } from './lib/context.ts';
import { handleSummary as summaryFile, SUMMARY_TREND_STATS } from './lib/summary.ts';

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
const closedDurationS = schedule.stages[0]?.durationS ?? 10;
// Records per line in the closed model (1: a line per iteration, as every open-model VU writes).
const closedLineRecords = Number(__ENV.BANKCERT_BENCH_LINE_RECORDS ?? 100);

export const options = {
  scenarios: {
    load:
      closedVUs > 0
        ? { executor: 'constant-vus', vus: closedVUs, duration: `${closedDurationS}s`, gracefulStop }
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

// One params object per endpoint, shared by every request of this VU (k6 reads params during http.post
// and keeps nothing). The endpoint tag only when k6 writes raw samples (--k6-raw-samples): it keeps their
// series per endpoint and bounded (never a per-request URL), and costs k6 a tag set per request otherwise.
const tagged = __ENV[RAW_SAMPLES_ENV] === '1';
const timeout = `${plan.load.timeoutMs}ms`;
const paramsFor = (
  endpoint: 'reserveFunds' | 'transactResult',
): { headers: Record<string, string>; timeout: string; responseType: 'text'; tags?: Record<string, string> } =>
  tagged ? { headers: {}, timeout, responseType: 'text', tags: { endpoint } } : { headers: {}, timeout, responseType: 'text' };
const params = { reserveFunds: paramsFor('reserveFunds'), transactResult: paramsFor('transactResult') };
const io: LoadIo = {
  post(url, body, headers, endpoint) {
    const p = params[endpoint];
    p.headers = headers;
    const res = http.post(url, body, p);
    // timings.duration is the value k6 puts in the request's http_req_duration sample. A request k6 itself
    // cut off (the run interrupted, or a capacity step's graceful stop over) is no answer of the bank's:
    // k6 drops its sample, and the driver drops it from the figures too.
    const cut = res.status === 0 && typeof res.error === 'string' && res.error.includes('context canceled');
    return { status: res.status, body: typeof res.body === 'string' ? res.body : '', durationMs: res.timings.duration, cut };
  },
  hmac: k6Hmac,
  line: (json) => console.log(json),
  started: () => started.add(1),
  nowMs: () => Date.now(),
};

let driver: LoadDriver | undefined;

export default function (): void {
  const n = exec.scenario.iterationInTest;
  // Built in the first iteration: a VU's id and the scenario's start are only known in VU code. In the
  // open model a VU may never run again, so it writes every record at once (checks/load-driver.ts).
  driver ??= loadDriver(
    plan,
    secrets,
    referencePrefix(plan, 'load'),
    io,
    closedVUs > 0 ? batchedUntil(exec.scenario.startTime + closedDurationS * 1000, closedLineRecords) : EVERY_ITERATION,
  );
  let lag: number | null = null;
  if (closedVUs === 0) {
    // Hundredths of a millisecond: Date.now() counts whole ones, and the record stays short.
    lag = Math.round(Math.max(0, Date.now() - (exec.scenario.startTime + dueAtS(schedule, n) * 1000)) * 100) / 100;
    scheduleLag.add(lag);
  }
  driver.iterate(n, lag);
}

/**
 * After the test: the iterations begun and dropped, as an event line (the CLI and `report --merge`
 * read them with the records: a runner's log is all a distributed run leaves), and k6's summary in the
 * file the CLI names.
 */
export function handleSummary(data: { metrics?: Record<string, { values?: { count?: number } }> }): Record<string, string> {
  const count = (metric: string) => data.metrics?.[metric]?.values?.count ?? 0;
  const end: LoadEndEvent = { t: 'end', started: count(STARTED_METRIC), dropped: count('dropped_iterations') };
  console.log(JSON.stringify(end));
  return summaryFile(data);
}
