import type { PercentileDecision } from '../load-evidence.ts';

// LD-P95 and LD-P99 decide from a count, not from the percentile itself: of n answers, k took the target or
// longer. "p99 under 2000 ms" is the claim that the true share of such answers is at most 1 %. A sample
// can show that only with enough answers: 100 answers with none slow still leave a 3 % share plausible.
//
// The bounds are exact (Clopper-Pearson), each one-sided at 95 %: the check passes when the upper bound on
// the share is at or below the allowed share ("at most 1 % at 95 % confidence"), fails when the lower bound
// is above it ("more than 1 % at 95 % confidence"), and is inconclusive in between. So each verdict is
// wrong at most 5 % of the time in its own direction, and the two together form a 90 % two-sided interval.
//
// Computed here rather than taken from a library: the only small well-kept candidate (stdlib's beta
// quantile) brings over 200 packages for what is a binomial tail and a bisection. The tail is summed in
// log space, so it neither underflows for a million answers nor loses the small terms.

/** Confidence of each one-sided bound. */
export const CONFIDENCE = 0.95;

/** P(X ≤ k) for X ~ Binomial(n, p), exact up to rounding. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  // The shorter sum: the lower tail directly, or one minus the upper tail (the lower tail of n − X).
  if (k > n / 2) return 1 - lowerTail(n - k - 1, n, 1 - p);
  return lowerTail(k, n, p);
}

/** Σ_{i ≤ k} C(n, i) pⁱ (1 − p)ⁿ⁻ⁱ with log-space terms (pmf(i + 1) = pmf(i) · (n − i)/(i + 1) · p/(1 − p)). */
function lowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  const step = Math.log(p) - Math.log1p(-p);
  let log = n * Math.log1p(-p);
  let max = log;
  const logs = new Float64Array(k + 1);
  logs[0] = log;
  for (let i = 0; i < k; i++) {
    log += Math.log(n - i) - Math.log(i + 1) + step;
    logs[i + 1] = log;
    if (log > max) max = log;
  }
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp((logs[i] ?? 0) - max);
  return Math.min(1, Math.exp(max) * sum);
}

/** The p in [lo, hi] where the monotonic `f` crosses `target`; `rising` says which way it runs. */
function solve(f: (p: number) => number, target: number, lo: number, hi: number, rising: boolean): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200 && b - a > 1e-15; i++) {
    const mid = (a + b) / 2;
    if (f(mid) < target === rising) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** One-sided upper bound on the share, at `confidence`: the p where P(X ≤ k) falls to 1 − confidence. */
export function upperBound(k: number, n: number, confidence = CONFIDENCE): number {
  if (n <= 0 || k >= n) return 1;
  const alpha = 1 - confidence;
  if (k === 0) return 1 - alpha ** (1 / n);
  return solve((p) => binomialCdf(k, n, p), alpha, k / n, 1, false);
}

/** One-sided lower bound on the share, at `confidence`: the p where P(X ≥ k) rises to 1 − confidence. */
export function lowerBound(k: number, n: number, confidence = CONFIDENCE): number {
  if (n <= 0 || k <= 0) return 0;
  const alpha = 1 - confidence;
  if (k >= n) return alpha ** (1 / n);
  return solve((p) => 1 - binomialCdf(k - 1, n, p), alpha, 0, k / n, true);
}

export interface ExceedanceVerdict {
  lower: number;
  upper: number;
  decision: PercentileDecision;
}

/** k of n answers at or over the target, against the share the percentile allows (0.05 for p95, 0.01 for p99). */
export function judgeExceedance(over: number, answers: number, maxShare: number, confidence = CONFIDENCE): ExceedanceVerdict {
  const lower = lowerBound(over, answers, confidence);
  const upper = upperBound(over, answers, confidence);
  const decision: PercentileDecision = upper <= maxShare ? 'pass' : lower > maxShare ? 'fail' : 'inconclusive';
  return { lower, upper, decision };
}

/** The fewest answers that, with none at or over the target, bring the upper bound to maxShare (p99: 299). */
export function answersNeededWithNone(maxShare: number, confidence = CONFIDENCE): number {
  let n = Math.max(1, Math.ceil(Math.log(1 - confidence) / Math.log1p(-maxShare)));
  // Guard the logarithms' rounding at the boundary in both directions.
  while (n > 1 && upperBound(0, n - 1, confidence) <= maxShare) n -= 1;
  while (upperBound(0, n, confidence) > maxShare) n += 1;
  return n;
}
