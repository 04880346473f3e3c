import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../checks/load-report.ts';
import { capacityFromSteps, stepsFromTimeline } from './capacity.ts';

const thresholds = { p95Ms: 2000, errorRate: 0.001, declineRate: 0.001 };
const step = (rate: number, p95Ms: number, errorRate = 0, achievedRate = rate) => ({ rate, achievedRate, p95Ms, errorRate });

describe('capacityFromSteps', () => {
  it('is the highest rate that held before the first step that broke', () => {
    const result = capacityFromSteps([step(10, 50), step(20, 120), step(40, 2100), step(80, 100)], thresholds);
    expect(result.highestRate).toBe(20);
    expect(result.steps.map((s) => s.held)).toEqual([true, true, false, true]);
  });

  it.each([
    ['p95 at the threshold', step(20, 2000)],
    ['errors above the budget', step(20, 100, 0.0011)],
    ['the generator fell short of the rate', step(20, 100, 0, 18.9)],
    ['no requests at all', step(20, Number.NaN, 0, 0)],
    ['declines above the budget (a bank shedding load)', { ...step(20, 3), declineRate: 0.4 }],
  ])('a step does not hold with %s', (_, broken) => {
    const result = capacityFromSteps([step(10, 50), broken], thresholds);
    expect(result.steps[1]?.held).toBe(false);
    expect(result.highestRate).toBe(10);
    expect(Number.isFinite(result.steps[1]?.p95Ms)).toBe(true);
  });

  it('holds at exactly the error budget and 95 % of the rate', () => {
    expect(capacityFromSteps([step(20, 1999, 0.001, 19)], thresholds).highestRate).toBe(20);
  });

  it('is null when the first step already broke, or there were no steps', () => {
    expect(capacityFromSteps([step(10, 3000), step(20, 50)], thresholds).highestRate).toBeNull();
    expect(capacityFromSteps([], thresholds)).toEqual({ steps: [], highestRate: null });
  });
});

describe('stepsFromTimeline', () => {
  const point = (t: number, achievedRate: number, requests: number, errors: number, p95Ms: number | null): TimelinePoint => ({ t, targetRate: 0, achievedRate, requests, errors, p50Ms: p95Ms, p95Ms, p99Ms: p95Ms });

  it('sums rates and errors over the window and takes the worst second as its p95 (an upper bound)', () => {
    const timeline = [point(0, 10, 20, 0, 30), point(1, 10, 20, 1, 80), point(2, 20, 40, 0, null), point(3, 20, 40, 0, 900)];
    expect(stepsFromTimeline(timeline, [{ rate: 10, fromS: 0, toS: 2 }, { rate: 20, fromS: 2, toS: 4 }])).toEqual([
      { rate: 10, achievedRate: 10, p95Ms: 80, errorRate: 1 / 40 },
      { rate: 20, achievedRate: 20, p95Ms: 900, errorRate: 0 },
    ]);
    expect(stepsFromTimeline(timeline, [{ rate: 5, fromS: 10, toS: 12 }])[0]?.p95Ms).toBeNaN();
  });
});
