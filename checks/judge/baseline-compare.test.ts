import { describe, expect, it } from 'vitest';
import type { EndpointStats, LoadReport } from '../load-report.ts';
import { compareWithBaseline } from './baseline-compare.ts';

const stats = (p95Ms: number, p99Ms: number, errorRate: number, requests = 1000): EndpointStats => ({
  requests,
  errors: Math.round(errorRate * requests),
  errorRate,
  minMs: 1,
  avgMs: 10,
  p50Ms: 10,
  p90Ms: 20,
  p95Ms,
  p99Ms,
  maxMs: 900,
});

function report(rf: EndpointStats, tr: EndpointStats, highestRate?: number | null): LoadReport {
  return {
    profile: 'load',
    targetRate: 50,
    durationS: 300,
    iterations: 15_000,
    droppedIterations: 0,
    achievedRate: 50,
    plannedIterations: 15_000,
    scheduleLagMs: { p50: 0, p95: 0, max: 0 },
    notHonest: [],
    endpoints: { reserveFunds: rf, transactResult: tr },
    timeline: [],
    histogram: [],
    instances: 1,
    samples: 30_000,
    ...(highestRate === undefined ? {} : { capacity: { steps: [], highestRate } }),
  };
}

const tolerances = { p95Pct: 10, p99Pct: 20, errorRatePts: 0.05, capacityPct: 10 };

describe('compareWithBaseline', () => {
  const baseline = report(stats(100, 200, 0.0001), stats(50, 80, 0), 40);

  it('flags only what got worse beyond its tolerance', () => {
    const current = report(stats(111, 230, 0.0007), stats(40, 97, 0), 35);
    const rows = compareWithBaseline(current, baseline, tolerances);
    const beyond = rows.filter((r) => r.beyond).map((r) => `${r.metric}${r.endpoint ? `:${r.endpoint}` : ''}`);
    expect(beyond).toEqual(['p95Ms:reserveFunds', 'errorRate:reserveFunds', 'p99Ms:transactResult', 'capacity']);
    expect(rows.find((r) => r.metric === 'p95Ms' && r.endpoint === 'reserveFunds')).toEqual({
      metric: 'p95Ms',
      endpoint: 'reserveFunds',
      baseline: 100,
      current: 111,
      changePct: expect.closeTo(11, 9),
      beyond: true,
    });
    expect(rows.find((r) => r.metric === 'p99Ms' && r.endpoint === 'reserveFunds')?.beyond).toBe(false); // +15 % within 20 %
    expect(rows.find((r) => r.metric === 'errorRate' && r.endpoint === 'reserveFunds')?.changePts).toBeCloseTo(0.06, 9);
    expect(rows.find((r) => r.metric === 'capacity')).toMatchObject({ baseline: 40, current: 35, changePct: -12.5, beyond: true });
  });

  it('never flags an improvement and accepts changes within tolerance', () => {
    const current = report(stats(50, 210, 0), stats(55, 80, 0.0004), 44);
    expect(compareWithBaseline(current, baseline, tolerances).filter((r) => r.beyond)).toEqual([]);
  });

  it('has no relative change from a zero baseline, and compares capacity only when both runs measured it', () => {
    const current = report(stats(100, 200, 0.0001), stats(50, 80, 0.002));
    const rows = compareWithBaseline(current, baseline, tolerances);
    expect(rows.find((r) => r.metric === 'errorRate' && r.endpoint === 'transactResult')).toMatchObject({ changePct: null, beyond: true });
    expect(rows.some((r) => r.metric === 'capacity')).toBe(false);
  });

  it('counts a capacity that vanished as a regression, and skips endpoints without requests', () => {
    const current = report(stats(100, 200, 0, 0), stats(50, 80, 0), null);
    const rows = compareWithBaseline(current, baseline, tolerances);
    expect(rows.find((r) => r.metric === 'capacity')).toMatchObject({ current: 0, changePct: -100, beyond: true });
    expect(rows.some((r) => r.endpoint === 'reserveFunds')).toBe(false);
  });
});
