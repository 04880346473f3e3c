// Percentiles by the nearest-rank method: the reported value is always one that was actually observed
// (no interpolation between two samples), and the p-th percentile is the smallest sample with at least
// p % of the samples at or below it. That is the reading a certificate can defend: "95 % of the answers
// took at most this long".

/** Nearest-rank percentile of an ascending array; NaN when it is empty. `p` in 0..100. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  // p * n before dividing keeps integer products exact (0.95 * 20 style rounding never moves the rank).
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
  return sorted[rank - 1] ?? Number.NaN;
}
