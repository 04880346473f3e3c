import { describe, expect, it } from 'vitest';
import { capacityFromSteps } from './capacity.ts';

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
