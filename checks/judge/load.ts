import type { CheckId } from '../ids.ts';
import { overallDecision, type LoadLevel, type PercentileJudgement } from '../load-evidence.ts';
import type { LoadReport } from '../load-report.ts';
import type { Observation } from '../events.ts';
import { answersNeededWithNone, CONFIDENCE, judgeExceedance } from './confidence.ts';

/** config.thresholds: the bounds the load checks judge against (the spec's, or stricter). */
export interface Thresholds {
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errorRate: number;
  declineRate: number;
  minCapacity?: number | undefined;
}

const ENDPOINTS = ['reserveFunds', 'transactResult'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

/**
 * LD-* observations from what the load suite measured (its per-iteration records, aggregated in Node:
 * latencies, errors and the response codes). Each carries the level it was measured at; none passes
 * without samples, and a check that could not see what it asserts is inconclusive, never skipped.
 */
export function loadObservations(load: LoadReport, t: Thresholds): Observation[] {
  const capacity = capacityObservation(load, t);
  if (load.profile === 'capacity') {
    // Configuration: a capacity-only run overloads the bank on purpose, so its latency is not the profile's.
    const reason = 'the capacity search overloads the bank on purpose; certify latency with a profile (smoke, load, …), e.g. --profile load,capacity';
    const skipped = (['LD-P95', 'LD-P99', 'LD-MAX', 'LD-ERRORS', 'LD-DECLINES'] as const).map((id): Observation => ({
      id,
      status: 'skip',
      expected: 'measured under a load profile',
      observed: 'not measured',
      reason,
    }));
    return [...skipped, capacity];
  }
  const measuredAt = levelOf(load);
  const at = (o: Observation): Observation => (measuredAt ? { ...o, measuredAt } : o);
  const e = load.endpoints;
  const per = (f: (name: Endpoint) => string) => ENDPOINTS.map((n) => `${n} ${f(n)}`).join(', ');
  const noSamples = (id: CheckId, what: string): Observation =>
    at({ id, status: 'inconclusive', expected: what, observed: 'no requests measured', reason: 'the load run measured no requests' });
  const requests = e.reserveFunds.requests + e.transactResult.requests;
  const errors = (n: Endpoint) => e[n].errorRate;
  return [
    percentileObservation(load, 'LD-P95', 95, t.p95Ms),
    percentileObservation(load, 'LD-P99', 99, t.p99Ms),
    e.reserveFunds.requests === 0
      ? noSamples('LD-MAX', `no reserveFunds answer takes ${t.maxMs} ms or more`)
      : at({
          id: 'LD-MAX',
          status: e.reserveFunds.maxMs < t.maxMs ? 'pass' : 'fail',
          expected: `no reserveFunds answer takes ${t.maxMs} ms or more`,
          observed: `slowest reserveFunds ${Math.round(e.reserveFunds.maxMs)} ms`,
        }),
    requests === 0
      ? noSamples('LD-ERRORS', `transport errors and 5xx at most ${(t.errorRate * 100).toFixed(2)} % per endpoint`)
      : at({
          id: 'LD-ERRORS',
          status: ENDPOINTS.every((n) => errors(n) <= t.errorRate) ? 'pass' : 'fail',
          expected: `transport errors and 5xx at most ${(t.errorRate * 100).toFixed(2)} % per endpoint`,
          observed: per((n) => `${(errors(n) * 100).toFixed(2)} % (${e[n].errors} of ${e[n].requests})`),
          counts: { errors: e.reserveFunds.errors + e.transactResult.errors },
        }),
    declinesObservation(load, t, measuredAt),
    capacity,
  ];
}

/** The level the profile's figures were measured at; results written before it was recorded fall back to the peak and duration. */
function levelOf(load: LoadReport): LoadLevel | undefined {
  if (load.level) return load.level;
  return { profile: load.profile.replace(/\+capacity$/, ''), rate: load.targetRate, holdS: load.durationS };
}

/**
 * LD-P95 / LD-P99: per endpoint, k of n answers at or over the target. Pass when the one-sided 95 %
 * upper bound on that share is within what the percentile allows (5 % / 1 %), fail when the lower bound
 * is above it, inconclusive otherwise; the measured percentiles are kept for the row.
 */
export function percentileObservation(load: LoadReport, id: 'LD-P95' | 'LD-P99', percentile: 95 | 99, targetMs: number): Observation {
  const measuredAt = levelOf(load);
  const maxShare = (100 - percentile) / 100;
  const key = percentile === 95 ? 'p95Ms' : 'p99Ms';
  const expected = `p${percentile} under ${targetMs} ms for both endpoints: at most ${percentile === 95 ? 5 : 1} % of answers at ${targetMs} ms or more, at ${CONFIDENCE * 100} % confidence`;
  const counts = ENDPOINTS.map((n) => ({ n, stats: load.endpoints[n], over: load.endpoints[n].atOrOverMs?.[String(targetMs)] }));
  if (counts.some((c) => c.over === undefined)) {
    // Figures from before exceedances were counted: the decision cannot be made from a percentile alone.
    return {
      id,
      status: 'inconclusive',
      expected,
      observed: counts.map((c) => `${c.n} p${percentile} ${Math.round(c.stats[key])} ms`).join(', '),
      reason: `the load figures do not count the answers at or over ${targetMs} ms`,
      ...(measuredAt ? { measuredAt } : {}),
    };
  }
  const judgement: PercentileJudgement = {
    percentile,
    targetMs,
    maxShare,
    confidence: CONFIDENCE,
    neededWithNone: answersNeededWithNone(maxShare),
    endpoints: counts.map(({ n, stats, over = 0 }) => ({
      endpoint: n,
      answers: stats.requests,
      over,
      ...judgeExceedance(over, stats.requests, maxShare),
      measuredMs: stats[key],
    })),
  };
  const decision = overallDecision(judgement);
  return {
    id,
    status: decision,
    expected,
    observed: judgement.endpoints
      .map((x) => `${x.endpoint} ${x.over} of ${x.answers} at or over ${targetMs} ms (p${percentile} ${Math.round(x.measuredMs)} ms)`)
      .join(', '),
    ...(decision === 'inconclusive' ? { reason: `too few answers to judge p${percentile} at ${CONFIDENCE * 100} % confidence` } : {}),
    ...(measuredAt ? { measuredAt } : {}),
    percentile: judgement,
  };
}

/** LD-DECLINES: reserveFunds for funded load accounts answered with anything but 0000, against the budget. */
function declinesObservation(load: LoadReport, t: Thresholds, measuredAt: LoadLevel | undefined): Observation {
  const expected = `reserveFunds answered with a code other than 0000 at most ${(t.declineRate * 100).toFixed(2)} % of reserveFunds`;
  const base = { id: 'LD-DECLINES' as const, expected, ...(measuredAt ? { measuredAt } : {}) };
  const mix = load.responses;
  if (!mix) return { ...base, status: 'inconclusive', observed: 'no response codes recorded', reason: 'the load run recorded no per-iteration response codes' };
  if (mix.reserves === 0) return { ...base, status: 'inconclusive', observed: 'no reserveFunds recorded', reason: 'the load run recorded no reserveFunds' };
  const declined = mix.codes.filter((c) => c.kind === 'declined');
  const declines = declined.reduce((n, c) => n + c.count, 0);
  const rate = declines / mix.reserves;
  const top = declined
    .slice(0, 4)
    .map((c) => `${c.code === '' ? 'no code' : c.code}${c.status === 200 ? '' : ` (HTTP ${c.status})`} × ${c.count}`)
    .join(', ');
  return {
    ...base,
    status: rate <= t.declineRate ? 'pass' : 'fail',
    observed: `${declines} of ${mix.reserves} reserveFunds declined (${(rate * 100).toFixed(2)} %)${top ? `: ${top}` : ''}`,
    counts: { declines, reserves: mix.reserves },
  };
}

/**
 * LD-CAPACITY: the capacity search's highest sustained rate. Informational, unless the bank declared the
 * rate it must carry (thresholds.minCapacity): then it fails below it.
 */
function capacityObservation(load: LoadReport, t: Thresholds): Observation {
  const min = t.minCapacity;
  const expected =
    min === undefined
      ? `the highest sustained rate with p95 under ${t.p95Ms} ms, errors within ${(t.errorRate * 100).toFixed(2)} % and declines within ${(t.declineRate * 100).toFixed(2)} %`
      : `a sustained rate of at least ${min} iterations/s (thresholds.minCapacity) with p95 under ${t.p95Ms} ms, errors and declines within budget`;
  if (!load.capacity) {
    const reason =
      min === undefined
        ? 'the capacity search was not part of this run: add it with --profile capacity (or load,capacity) to measure it'
        : 'the capacity search was not part of this run, so thresholds.minCapacity cannot be judged: add it with --profile load,capacity (a run without a chosen profile adds it)';
    return { id: 'LD-CAPACITY', status: 'skip', expected, observed: 'not measured', reason };
  }
  const { highestRate, steps } = load.capacity;
  const top = Math.max(0, ...steps.map((s) => s.rate));
  const measuredAt: LoadLevel = { profile: 'capacity', rate: top, holdS: load.capacity.stepS ?? 0 };
  if (steps.length === 0)
    return { id: 'LD-CAPACITY', status: 'inconclusive', expected, observed: 'no step ran', reason: 'the capacity search ran no step', measuredAt };
  const allHeld = steps.every((s) => s.held);
  const figure = (n: number) => Math.round(n * 10) / 10;
  const observed =
    highestRate === null
      ? `no step held, not even the first (${figure(steps[0]?.rate ?? 0)} iterations/s)`
      : allHeld
        ? `at least ${figure(highestRate)} iterations/s: every step up to ${figure(top)}/s held`
        : `${figure(highestRate)} iterations/s (each a reserveFunds and a transactResult)`;
  const base = { id: 'LD-CAPACITY' as const, expected, observed, counts: { steps: steps.length }, measuredAt };
  if (min === undefined) return { ...base, status: 'pass' };
  if (highestRate !== null && highestRate >= min) return { ...base, status: 'pass' };
  // Every step held but none reached the minimum: the search stopped before it could tell.
  if (allHeld) return { ...base, status: 'inconclusive', reason: `the search stopped at ${figure(top)} iterations/s, below thresholds.minCapacity (${min}/s)` };
  return { ...base, status: 'fail', reason: `below thresholds.minCapacity (${min} iterations/s)` };
}
