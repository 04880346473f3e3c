import { describe, expect, it } from 'vitest';
import { dueAtS, peakRate, plannedIterations, PROFILES, scheduleFor, targetRateAt, totalDurationS } from './load-profile.ts';

describe('load profiles', () => {
  it('a constant rate: n is due at (n + 1) / rate', () => {
    const s = scheduleFor('smoke', 10, 20);
    expect(plannedIterations(s)).toBe(200);
    expect(dueAtS(s, 0)).toBeCloseTo(0.1);
    expect(dueAtS(s, 99)).toBeCloseTo(10);
    expect(targetRateAt(s, 5)).toBe(10);
  });

  it('a ramp: the due time inverts the area under the rate', () => {
    const s = { profile: 'x', startRate: 0, stages: [{ target: 10, durationS: 10 }] };
    // area(t) = t²/2 → iteration n (area n + 1) is due at sqrt(2(n + 1))
    expect(dueAtS(s, 49)).toBeCloseTo(10);
    expect(dueAtS(s, 7)).toBeCloseTo(4);
    expect(targetRateAt(s, 5)).toBe(5);
    expect(plannedIterations(s)).toBe(50);
  });

  it.each(PROFILES)('%s has positive duration, peak and planned iterations', (p) => {
    const s = scheduleFor(p, 20, 60);
    expect(totalDurationS(s)).toBeGreaterThan(0);
    expect(peakRate(s)).toBeGreaterThan(0);
    expect(plannedIterations(s)).toBeGreaterThan(0);
    // the last iteration is due within the run
    expect(dueAtS(s, plannedIterations(s) - 1)).toBeLessThanOrEqual(totalDurationS(s) + 1e-9);
  });

  it('stress peaks at twice the rate, spike at three times', () => {
    expect(peakRate(scheduleFor('stress', 20, 60))).toBe(40);
    expect(peakRate(scheduleFor('spike', 20, 60))).toBe(60);
  });
});
