import type { LoadReport } from '../../checks/load-report.ts';
import type { Observation } from '../../checks/observation.ts';
import type { Config } from '../config/schema.ts';

type Thresholds = Config['thresholds'];
const ENDPOINTS = ['reserveFunds', 'transactResult'] as const;

/** LD-* observations from what the load suite measured (raw samples, aggregated in Node). */
export function loadObservations(load: LoadReport, t: Thresholds): Observation[] {
  const capacity = capacityObservation(load, t);
  if (load.profile === 'capacity') {
    const reason = 'the capacity search overloads the bank on purpose; certify latency with a profile (smoke, load, …), e.g. --profile load,capacity';
    const skipped = (['LD-P95', 'LD-P99', 'LD-MAX', 'LD-ERRORS'] as const).map((id): Observation => ({ id, status: 'skip', expected: 'measured under a load profile', observed: 'not measured', reason }));
    return [...skipped, capacity];
  }
  const e = load.endpoints;
  const per = (f: (name: (typeof ENDPOINTS)[number]) => string) => ENDPOINTS.map((n) => `${n} ${f(n)}`).join(', ');
  const percentile = (id: 'LD-P95' | 'LD-P99', key: 'p95Ms' | 'p99Ms', bound: number): Observation => {
    const ok = ENDPOINTS.every((n) => e[n][key] < bound);
    return { id, status: ok ? 'pass' : 'fail', expected: `${key.slice(0, 3)} under ${bound} ms for both endpoints`, observed: per((n) => `${Math.round(e[n][key])} ms`), counts: { requests: e.reserveFunds.requests + e.transactResult.requests } };
  };
  const errors = (n: (typeof ENDPOINTS)[number]) => e[n].errorRate;
  return [
    percentile('LD-P95', 'p95Ms', t.p95Ms),
    percentile('LD-P99', 'p99Ms', t.p99Ms),
    {
      id: 'LD-MAX',
      status: e.reserveFunds.maxMs < t.maxMs ? 'pass' : 'fail',
      expected: `no reserveFunds answer takes ${t.maxMs} ms or more`,
      observed: `slowest reserveFunds ${Math.round(e.reserveFunds.maxMs)} ms`,
    },
    {
      id: 'LD-ERRORS',
      status: ENDPOINTS.every((n) => errors(n) <= t.errorRate) ? 'pass' : 'fail',
      expected: `transport errors and 5xx at most ${(t.errorRate * 100).toFixed(2)} % per endpoint`,
      observed: per((n) => `${(errors(n) * 100).toFixed(2)} % (${e[n].errors} of ${e[n].requests})`),
      counts: { errors: e.reserveFunds.errors + e.transactResult.errors },
    },
    capacity,
  ];
}

function capacityObservation(load: LoadReport, t: Thresholds): Observation {
  if (!load.capacity) return { id: 'LD-CAPACITY', status: 'skip', expected: 'measured by the capacity search', observed: 'not measured', reason: 'run with --profile capacity (or load,capacity) to measure it' };
  const { highestRate, steps } = load.capacity;
  const top = Math.max(0, ...steps.map((s) => s.rate));
  const allHeld = steps.length > 0 && steps.every((s) => s.held);
  const figure = (n: number) => Math.round(n * 10) / 10;
  return {
    id: 'LD-CAPACITY',
    status: 'pass',
    expected: `the highest sustained rate with p95 under ${t.p95Ms} ms and errors within ${(t.errorRate * 100).toFixed(2)} %`,
    observed:
      highestRate === null
        ? 'no step held, not even the first'
        : allHeld
          ? `at least ${figure(highestRate)} iterations/s: every step up to load.maxRate (${figure(top)}/s) held`
          : `${figure(highestRate)} iterations/s (each a reserveFunds and a transactResult)`,
    counts: { steps: steps.length },
  };
}
