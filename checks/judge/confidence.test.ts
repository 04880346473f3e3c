import { describe, expect, it } from 'vitest';
import { MIN_PEAK_SAMPLES, defaultDurationS, holdAtPeakS, peakRate, plannedIterations, scheduleFor } from '../load-profile.ts';
import { answersNeededWithNone, binomialCdf, judgeExceedance, lowerBound, upperBound } from './confidence.ts';

// Reference values: exact Clopper-Pearson intervals as printed in binomial confidence tables (e.g. the
// Geigy Scientific Tables, or Newcombe 1998, Table I). A two-sided 95 % interval is the pair of one-sided
// 97.5 % bounds; k = 0 has the closed form 1 − α^(1/n).
const TWO_SIDED: { k: number; n: number; lower: number; upper: number }[] = [
  { k: 0, n: 100, lower: 0, upper: 0.0362 },
  { k: 1, n: 10, lower: 0.0025, upper: 0.445 },
  { k: 5, n: 20, lower: 0.0866, upper: 0.491 },
  { k: 10, n: 50, lower: 0.1003, upper: 0.3372 },
  { k: 5, n: 100, lower: 0.0164, upper: 0.1128 },
];

describe('Clopper-Pearson bounds', () => {
  it('n = 300, k = 0: one-sided 95 % upper bound 0.00994 (1 − 0.05^(1/300))', () => {
    expect(upperBound(0, 300)).toBeCloseTo(0.00994, 5);
    expect(lowerBound(0, 300)).toBe(0);
  });

  it.each(TWO_SIDED)('k = $k of n = $n: two-sided 95 % interval [$lower, $upper]', ({ k, n, lower, upper }) => {
    expect(lowerBound(k, n, 0.975)).toBeCloseTo(lower, 4);
    expect(upperBound(k, n, 0.975)).toBeCloseTo(upper, 3);
  });

  it('k = n: the lower bound has the closed form α^(1/n), the upper bound is 1', () => {
    expect(lowerBound(20, 20)).toBeCloseTo(0.05 ** (1 / 20), 10);
    expect(upperBound(20, 20)).toBe(1);
  });

  it('each bound leaves exactly 5 % in its tail', () => {
    for (const [k, n] of [
      [3, 300],
      [18, 600],
      [90, 3000],
      [1, 2],
    ] as const) {
      expect(binomialCdf(k, n, upperBound(k, n))).toBeCloseTo(0.05, 9);
      expect(1 - binomialCdf(k - 1, n, lowerBound(k, n))).toBeCloseTo(0.05, 9);
    }
  });

  it('no answers bound nothing', () => {
    expect([lowerBound(0, 0), upperBound(0, 0)]).toEqual([0, 1]);
  });

  it('stays finite for a million answers', () => {
    const { lower, upper } = judgeExceedance(30_000, 1_000_000, 0.01);
    expect(lower).toBeGreaterThan(0.0295);
    expect(upper).toBeLessThan(0.0305);
  });
});

describe('judgeExceedance: pass, fail, inconclusive', () => {
  it.each([
    // p99 (1 %)
    { name: 'p99: 299 answers, none over → pass (upper 0.9969 %)', over: 0, answers: 299, share: 0.01, decision: 'pass' },
    { name: 'p99: 298 answers, none over → inconclusive (upper 1.0003 %)', over: 0, answers: 298, share: 0.01, decision: 'inconclusive' },
    { name: 'p99: 100 answers, 1 over → inconclusive', over: 1, answers: 100, share: 0.01, decision: 'inconclusive' },
    { name: 'p99: 2,400 answers, 3 over → pass', over: 3, answers: 2_400, share: 0.01, decision: 'pass' },
    { name: 'p99: 600 answers, 18 over (3 %) → fail', over: 18, answers: 600, share: 0.01, decision: 'fail' },
    { name: 'p99: 200 answers, 6 over (3 %) → fail', over: 6, answers: 200, share: 0.01, decision: 'fail' },
    { name: 'p99: 100 answers, 3 over (3 %) → inconclusive', over: 3, answers: 100, share: 0.01, decision: 'inconclusive' },
    // p95 (5 %)
    { name: 'p95: 59 answers, none over → pass', over: 0, answers: 59, share: 0.05, decision: 'pass' },
    { name: 'p95: 58 answers, none over → inconclusive', over: 0, answers: 58, share: 0.05, decision: 'inconclusive' },
    { name: 'p95: 600 answers, 18 over (3 %) → pass', over: 18, answers: 600, share: 0.05, decision: 'pass' },
    { name: 'p95: 300 answers, 9 over (3 %) → inconclusive', over: 9, answers: 300, share: 0.05, decision: 'inconclusive' },
    { name: 'p95: 600 answers, 600 over → fail', over: 600, answers: 600, share: 0.05, decision: 'fail' },
  ])('$name', ({ over, answers, share, decision }) => {
    expect(judgeExceedance(over, answers, share).decision).toBe(decision);
  });

  it('answers needed with none over: 299 for p99, 59 for p95', () => {
    expect(answersNeededWithNone(0.01)).toBe(299);
    expect(answersNeededWithNone(0.05)).toBe(59);
    expect(upperBound(0, 298)).toBeGreaterThan(0.01);
  });
});

describe('the default load profile is large enough', () => {
  it('holds its peak for at least MIN_PEAK_SAMPLES iterations and at least 2 minutes, at any rate', () => {
    for (const rate of [0.5, 1, 5, 24, 25, 40, 1_000]) {
      const schedule = scheduleFor('load', rate, defaultDurationS('load', rate));
      expect(holdAtPeakS(schedule)).toBeGreaterThanOrEqual(120);
      expect(holdAtPeakS(schedule) * peakRate(schedule)).toBeGreaterThanOrEqual(MIN_PEAK_SAMPLES);
      expect(plannedIterations(schedule)).toBeGreaterThanOrEqual(MIN_PEAK_SAMPLES);
    }
  });

  it('a bank with a 3 % slow tail fails LD-P99 in practically every default run (binomial arithmetic)', () => {
    // With n answers and each one slow with probability 3 %, the run fails LD-P99 when the count k is high
    // enough that the lower bound exceeds 1 %. The chance that k stays below that is the miss rate.
    const n = MIN_PEAK_SAMPLES;
    let failsFrom = 0;
    while (lowerBound(failsFrom, n) <= 0.01) failsFrom += 1;
    const missRate = binomialCdf(failsFrom - 1, n, 0.03);
    expect(failsFrom).toBe(40);
    expect(missRate).toBeLessThan(1e-9);
    // The same tail passes LD-P95 in all but about one run in 45,000, so the fault breaks only LD-P99.
    let p95FailsAbove = 0;
    while (upperBound(p95FailsAbove, n) <= 0.05) p95FailsAbove += 1;
    expect(1 - binomialCdf(p95FailsAbove - 1, n, 0.03)).toBeLessThan(1e-4);
  });

  it('a compliant bank with one slow answer in 500 still passes LD-P99 in a default run', () => {
    expect(judgeExceedance(Math.round(MIN_PEAK_SAMPLES / 500), MIN_PEAK_SAMPLES, 0.01).decision).toBe('pass');
  });
});
