import { LoadReportSchema, type LoadReport } from '../../checks/load-report.ts';

/** A 60 s load run at 20 iterations/s with a slow tail on reserveFunds and a capacity profile; schema-valid. */
export function fixtureLoad(overrides: Partial<LoadReport> = {}): LoadReport {
  return LoadReportSchema.parse({
    profile: 'load',
    targetRate: 20,
    durationS: 60,
    iterations: 1188,
    droppedIterations: 0,
    achievedRate: 19.8,
    plannedIterations: 1200,
    scheduleLagMs: { p50: 0.4, p95: 1.25, max: 12 },
    notHonest: [],
    endpoints: {
      reserveFunds: { requests: 1188, errors: 1, errorRate: 1 / 1188, minMs: 4.2, avgMs: 48.3, p50Ms: 31.5, p90Ms: 95, p95Ms: 2150, p99Ms: 4200, maxMs: 5210 },
      transactResult: { requests: 1188, errors: 0, errorRate: 0, minMs: 2.1, avgMs: 12.4, p50Ms: 9.87, p90Ms: 22, p95Ms: 30.4, p99Ms: 88, maxMs: 6100 },
    },
    timeline: Array.from({ length: 60 }, (_, t) => ({
      t,
      targetRate: 20,
      achievedRate: t === 0 ? 8 : 20,
      requests: t === 10 ? 0 : 40,
      errors: t === 42 ? 1 : 0,
      p50Ms: t === 10 ? null : 20 + (t % 5),
      p95Ms: t === 10 ? null : 60 + t,
      p99Ms: t === 10 ? null : t === 50 ? 5210 : 180,
    })),
    histogram: [
      { fromMs: 2, toMs: 3, count: 40 },
      { fromMs: 3, toMs: 5, count: 300 },
      { fromMs: 5, toMs: 7, count: 900 },
      { fromMs: 7, toMs: 10, count: 1000 },
      { fromMs: 10, toMs: 20, count: 100 },
      { fromMs: 2000, toMs: 3000, count: 20 },
      { fromMs: 5000, toMs: 7000, count: 16 },
    ],
    capacity: {
      steps: [
        { rate: 10, achievedRate: 10, p95Ms: 40, errorRate: 0, held: true },
        { rate: 20, achievedRate: 19.9, p95Ms: 120, errorRate: 0, held: true },
        { rate: 40, achievedRate: 33, p95Ms: 2300, errorRate: 0.004, held: false },
      ],
      highestRate: 20,
    },
    instances: 2,
    samples: 23_760,
    ...overrides,
  });
}
