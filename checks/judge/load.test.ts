import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES } from '../ids.ts';
import { withSummary } from '../../reports/summary.ts';
import { checksOfSuites, resolveLevels } from '../catalogue.ts';
import type { LoadReport } from '../load-report.ts';
import type { Observation } from '../events.ts';
import { fixtureLoad } from '../../reports/__fixtures__/load.ts';
import type { Config } from '../../scripts/config/schema.ts';
import { loadObservations } from './load.ts';
import { evaluate } from './verdict.ts';

const THRESHOLDS: Config['thresholds'] = { p95Ms: 2000, p99Ms: 2000, maxMs: 5000, errorRate: 0.001, declineRate: 0.001 };
const LEVEL = { profile: 'load', rate: 40, holdS: 120 };

const stats = (requests: number, over: number, extra: Partial<LoadReport['endpoints']['reserveFunds']> = {}) => ({
  requests,
  errors: 0,
  errorRate: 0,
  minMs: 1,
  avgMs: 10,
  p50Ms: 8,
  p90Ms: 12,
  p95Ms: 15,
  p99Ms: over > 0 ? 2100 : 30,
  maxMs: over > 0 ? 2100 : 40,
  atOrOverMs: { '2000': over },
  ...extra,
});

function load(overrides: Partial<LoadReport> = {}, reserve = stats(2400, 0), transact = stats(2400, 0)): LoadReport {
  return fixtureLoad({
    profile: 'load',
    capacity: undefined,
    level: LEVEL,
    expectedPeakRate: 40,
    endpoints: { reserveFunds: reserve, transactResult: transact },
    responses: { reserves: 2400, codes: [{ kind: 'granted', status: 200, code: '0000', count: 2400 }], perSecond: [{ t: 0, answers: 2400, declines: 0 }] },
    ...overrides,
  });
}

const byId = (observations: Observation[]) => new Map(observations.map((o) => [o.id, o]));

describe('loadObservations: percentiles judged with confidence', () => {
  it.each([
    { name: '2,400 answers, none over: both pass', reserve: stats(2400, 0), p95: 'pass', p99: 'pass' },
    { name: '2,400 answers, 3 over (0.125 %): both pass', reserve: stats(2400, 3), p95: 'pass', p99: 'pass' },
    { name: '600 answers, 18 over (3 %): p95 passes, p99 fails', reserve: stats(600, 18), p95: 'pass', p99: 'fail' },
    { name: '100 answers, 1 over: p95 passes (share ≤ 4.7 %), too few for p99', reserve: stats(100, 1), p95: 'pass', p99: 'inconclusive' },
    { name: '50 answers, 2 over: too few for either', reserve: stats(50, 2), p95: 'inconclusive', p99: 'inconclusive' },
    { name: '100 answers, none over: p95 passes (59 suffice), p99 cannot (299 needed)', reserve: stats(100, 0), p95: 'pass', p99: 'inconclusive' },
    { name: 'every answer slow: both fail', reserve: stats(600, 600, { p95Ms: 2100 }), p95: 'fail', p99: 'fail' },
  ])('$name', ({ reserve, p95, p99 }) => {
    const seen = byId(loadObservations(load({}, reserve), THRESHOLDS));
    expect(seen.get('LD-P95')?.status).toBe(p95);
    expect(seen.get('LD-P99')?.status).toBe(p99);
  });

  it('a failing endpoint fails the check whatever the other one shows; any undecided keeps a pass from it', () => {
    expect(byId(loadObservations(load({}, stats(2400, 0), stats(600, 18)), THRESHOLDS)).get('LD-P99')?.status).toBe('fail');
    expect(byId(loadObservations(load({}, stats(2400, 0), stats(100, 0)), THRESHOLDS)).get('LD-P99')?.status).toBe('inconclusive');
  });

  it('carries the counts, bounds, the measured percentile and the level as data', () => {
    const p99 = byId(loadObservations(load({}, stats(2400, 3)), THRESHOLDS)).get('LD-P99');
    expect(p99?.measuredAt).toEqual(LEVEL);
    expect(p99?.percentile).toMatchObject({ percentile: 99, targetMs: 2000, maxShare: 0.01, confidence: 0.95, neededWithNone: 299 });
    const reserve = p99?.percentile?.endpoints[0];
    expect(reserve).toMatchObject({ endpoint: 'reserveFunds', answers: 2400, over: 3, measuredMs: 2100, decision: 'pass' });
    expect(reserve?.upper).toBeGreaterThan(0.00125);
    expect(reserve?.upper).toBeLessThan(0.01);
  });

  it('is inconclusive, not a pass, when the exceedances were not counted (a result from before the rule)', () => {
    const { atOrOverMs: _gone, ...old } = stats(2400, 0);
    const p95 = byId(loadObservations(load({}, old as ReturnType<typeof stats>, old as ReturnType<typeof stats>), THRESHOLDS)).get('LD-P95');
    expect(p95?.status).toBe('inconclusive');
  });
});

describe('loadObservations: no check passes without samples', () => {
  it('a run that measured nothing leaves every LD check inconclusive (capacity not run: skipped by configuration)', () => {
    const empty = load({ responses: { reserves: 0, codes: [], perSecond: [] } }, stats(0, 0), stats(0, 0));
    const seen = byId(loadObservations(empty, THRESHOLDS));
    expect(Object.fromEntries([...seen].map(([id, o]) => [id, o.status]))).toEqual({
      'LD-P95': 'inconclusive',
      'LD-P99': 'inconclusive',
      'LD-MAX': 'inconclusive',
      'LD-ERRORS': 'inconclusive',
      'LD-DECLINES': 'inconclusive',
      'LD-CAPACITY': 'skip',
    });
  });

  it('without the per-iteration response codes LD-DECLINES is inconclusive', () => {
    expect(byId(loadObservations(load({ responses: undefined }), THRESHOLDS)).get('LD-DECLINES')?.status).toBe('inconclusive');
  });

  it('a capacity-only run skips the profile checks by configuration, with the reason', () => {
    const seen = loadObservations(
      load({ profile: 'capacity', capacity: { steps: [{ rate: 10, achievedRate: 10, p95Ms: 20, errorRate: 0, held: true }], highestRate: 10, stepS: 5 } }),
      THRESHOLDS,
    );
    expect(seen.filter((o) => o.status === 'skip').map((o) => o.id)).toEqual(['LD-P95', 'LD-P99', 'LD-MAX', 'LD-ERRORS', 'LD-DECLINES']);
    expect(seen.every((o) => o.status !== 'skip' || o.reason?.includes('--profile load,capacity'))).toBe(true);
  });
});

describe('loadObservations: LD-DECLINES', () => {
  const mix = (declined: number, reserves = 2000) => ({
    reserves,
    codes: [
      { kind: 'granted' as const, status: 200, code: '0000', count: reserves - declined - 5 },
      ...(declined > 0 ? [{ kind: 'declined' as const, status: 200, code: '2060', count: declined }] : []),
      { kind: 'error' as const, status: 503, code: '2090', count: 5 },
    ],
    perSecond: [],
  });
  it.each([
    ['no declines', 0, 'pass'],
    ['exactly the budget (2 of 2,000 = 0.1 %)', 2, 'pass'],
    ['one over the budget', 3, 'fail'],
    ['a bank shedding 40 %', 800, 'fail'],
  ])("%s → %s (5xx are LD-ERRORS' and not counted here)", (_name, declined, status) => {
    const o = byId(loadObservations(load({ responses: mix(declined) }), THRESHOLDS)).get('LD-DECLINES');
    expect(o?.status).toBe(status);
    expect(o?.counts).toEqual({ declines: declined, reserves: 2000 });
    expect(o?.measuredAt).toEqual(LEVEL);
    if (declined > 0) expect(o?.observed).toContain(`2060 × ${declined}`);
  });
});

describe('LD-CAPACITY: informational, or MUST with thresholds.minCapacity', () => {
  const step = (rate: number, held: boolean) => ({ rate, achievedRate: held ? rate : rate * 0.8, p95Ms: held ? 20 : 2500, errorRate: 0, held });
  const capacity = (steps: ReturnType<typeof step>[], highestRate: number | null) =>
    load({ profile: 'load+capacity', capacity: { steps, highestRate, stepS: 3 } });
  const judged = (report: LoadReport, minCapacity?: number) => {
    const thresholds = { ...THRESHOLDS, ...(minCapacity !== undefined ? { minCapacity } : {}) };
    const definitions = resolveLevels(checksOfSuites(['load']), { minCapacity: minCapacity !== undefined });
    const { checks, verdict } = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions,
      observations: loadObservations(report, thresholds),
      signing: true,
      harnessProblems: [],
    });
    const row = checks.find((c) => c.id === 'LD-CAPACITY');
    return { level: row?.level, status: row?.status, verdict, summary: row && withSummary(row).summary };
  };
  const found20 = capacity([step(10, true), step(20, true), step(40, false), step(30, false), step(25, false), step(22, false)], 20);

  it('without minCapacity: INFO, passes with the figure, never fails the run', () => {
    expect(judged(found20)).toMatchObject({ level: 'INFO', status: 'pass', verdict: 'certified' });
  });

  it('minCapacity above the capacity found: MUST, fails, the run is not certified', () => {
    expect(judged(found20, 30)).toMatchObject({ level: 'MUST', status: 'fail', verdict: 'not-certified' });
  });

  it('minCapacity at or below the capacity found: MUST, passes', () => {
    expect(judged(found20, 20)).toMatchObject({ level: 'MUST', status: 'pass', verdict: 'certified' });
  });

  it('no step held: fails with minCapacity', () => {
    expect(judged(capacity([step(10, false)], null), 5)).toMatchObject({ status: 'fail' });
  });

  it('every step held but the search stopped below the minimum: inconclusive, not a pass', () => {
    expect(judged(capacity([step(10, true), step(20, true)], 20), 40)).toMatchObject({ level: 'MUST', status: 'inconclusive', verdict: 'inconclusive' });
  });

  it('the search did not run: skipped by configuration, naming how to run it', () => {
    const row = judged(load(), 30);
    expect(row).toMatchObject({ level: 'MUST', status: 'skip' });
    expect(row.summary).toMatch(/--profile load,capacity/);
  });

  it('the row says it was measured in the capacity search', () => {
    expect(judged(found20, 30).summary).toMatch(/in the capacity search \(steps of 3 s up to 40 iterations\/s\)/);
  });
});
