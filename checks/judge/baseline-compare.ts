import type { LoadReport } from '../load-report.ts';
import { ENDPOINTS, type Endpoint } from '../protocol.ts';

// Compares a run with an earlier, accepted run of the same bank: did it get slower, less reliable or lose
// capacity beyond what run-to-run noise explains? Improvements are listed but never "beyond".

export interface BaselineTolerances {
  /** Allowed p95 growth, % of the baseline. */
  p95Pct: number;
  p99Pct: number;
  /** Allowed error-rate growth in percentage points (0.1 = from 0.05 % to 0.15 %). */
  errorRatePts: number;
  /** Allowed capacity loss, % of the baseline's highest rate. */
  capacityPct: number;
}

export interface BaselineRow {
  metric: 'p95Ms' | 'p99Ms' | 'errorRate' | 'capacity';
  endpoint?: Endpoint;
  baseline: number;
  current: number;
  /** Relative change in % of the baseline; null when the baseline is 0 and the current value is not. */
  changePct: number | null;
  /** errorRate only: the change in percentage points, which the tolerance is expressed in. */
  changePts?: number;
  /** Worse than the baseline by more than the tolerance. */
  beyond: boolean;
}

/** What a comparison reads of a run's load figures (result.json keeps it for `bankcert verify`). */
export type ComparedLoad = Pick<LoadReport, 'endpoints' | 'capacity'>;

export function compareWithBaseline(current: ComparedLoad, baseline: ComparedLoad, tolerances: BaselineTolerances): BaselineRow[] {
  const rows: BaselineRow[] = [];
  for (const endpoint of ENDPOINTS) {
    const now = current.endpoints[endpoint];
    const before = baseline.endpoints[endpoint];
    // An endpoint without requests in either run has no latency to compare.
    if (now.requests === 0 || before.requests === 0) continue;
    rows.push(higherIsWorse('p95Ms', endpoint, before.p95Ms, now.p95Ms, tolerances.p95Pct));
    rows.push(higherIsWorse('p99Ms', endpoint, before.p99Ms, now.p99Ms, tolerances.p99Pct));
    const changePts = (now.errorRate - before.errorRate) * 100;
    rows.push({
      metric: 'errorRate',
      endpoint,
      baseline: before.errorRate,
      current: now.errorRate,
      changePct: changePct(before.errorRate, now.errorRate),
      changePts,
      beyond: changePts > tolerances.errorRatePts,
    });
  }
  if (current.capacity && baseline.capacity) {
    const before = baseline.capacity.highestRate;
    // No step held now while one did before: the capacity fell to nothing.
    const now = current.capacity.highestRate ?? (before === null ? null : 0);
    if (before !== null && now !== null) {
      rows.push({
        metric: 'capacity',
        baseline: before,
        current: now,
        changePct: changePct(before, now),
        beyond: now < before * (1 - tolerances.capacityPct / 100),
      });
    }
  }
  return rows;
}

function higherIsWorse(metric: 'p95Ms' | 'p99Ms', endpoint: Endpoint, before: number, now: number, tolerancePct: number): BaselineRow {
  return { metric, endpoint, baseline: before, current: now, changePct: changePct(before, now), beyond: now > before * (1 + tolerancePct / 100) };
}

function changePct(before: number, now: number): number | null {
  if (before === 0) return now === 0 ? 0 : null;
  return ((now - before) / before) * 100;
}
