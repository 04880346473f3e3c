import type { CapacityStep } from '../../checks/load-report.ts';
import { MIN_RATE_SHARE } from './honesty.ts';

// LD-CAPACITY: the capacity profile raises the arrival rate step by step; the bank's capacity is the
// highest rate it sustained before the first step that broke the p95 target, the error budget, the decline
// budget (a bank that refuses what it cannot serve in time has not served it), or at which the generator
// could not even offer the rate.

export interface StepFigures {
  rate: number;
  achievedRate: number;
  /** NaN (or any non-finite value) when the step saw no requests: such a step cannot hold. */
  p95Ms: number;
  errorRate: number;
  /** Share of the step's reserveFunds declined (answered with a code other than 0000); absent: not recorded. */
  declineRate?: number;
}

export interface CapacityThresholds {
  p95Ms: number;
  /** Highest acceptable error rate (0.001 = 0.1 %). */
  errorRate: number;
  /** Highest acceptable decline rate (0.001 = 0.1 %). */
  declineRate: number;
}

export function stepHolds(step: StepFigures, thresholds: CapacityThresholds): boolean {
  return (
    Number.isFinite(step.p95Ms) &&
    step.p95Ms < thresholds.p95Ms &&
    step.errorRate <= thresholds.errorRate &&
    (step.declineRate ?? 0) <= thresholds.declineRate &&
    step.achievedRate >= MIN_RATE_SHARE * step.rate
  );
}

/**
 * Steps in run order. A step that holds after an earlier failure does not count: a bank that recovered at a
 * higher rate (the failure was a warm-up stall, say) has still shown it cannot be relied on at that rate.
 */
export function capacityFromSteps(steps: readonly StepFigures[], thresholds: CapacityThresholds): { steps: CapacityStep[]; highestRate: number | null } {
  let highestRate: number | null = null;
  let broken = false;
  const out = steps.map((step): CapacityStep => {
    const held = stepHolds(step, thresholds);
    if (!held) broken = true;
    else if (!broken) highestRate = Math.max(highestRate ?? step.rate, step.rate);
    // result.json needs finite numbers; a step without requests shows p95 0 with its achieved rate of 0.
    return {
      rate: step.rate,
      achievedRate: step.achievedRate,
      p95Ms: Number.isFinite(step.p95Ms) ? step.p95Ms : 0,
      errorRate: step.errorRate,
      ...(step.declineRate !== undefined ? { declineRate: step.declineRate } : {}),
      held,
    };
  });
  return { steps: out, highestRate };
}
