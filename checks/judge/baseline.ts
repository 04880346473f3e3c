import type { CheckId } from '../ids.ts';
import type { LoadReport } from '../load-report.ts';
import type { Observation } from '../events.ts';
import { compareWithBaseline, type BaselineRow, type BaselineTolerances, type ComparedLoad } from './baseline-compare.ts';

/** config.baseline: the tolerances and what a regression beyond them does. */
export interface BaselineSettings extends BaselineTolerances {
  onRegression: 'warn' | 'fail';
}

const CHECK_OF: Record<BaselineRow['metric'], CheckId> = { p95Ms: 'LD-P95', p99Ms: 'LD-P99', errorRate: 'LD-ERRORS', capacity: 'LD-CAPACITY' };

function describe(row: BaselineRow): string {
  const what = `${row.metric}${row.endpoint ? ` of ${row.endpoint}` : ''}`;
  const change = row.metric === 'errorRate' ? `${(row.changePts ?? 0).toFixed(2)} points` : row.changePct === null ? 'from 0' : `${row.changePct.toFixed(1)} %`;
  return `${what} regressed by ${change} against the baseline (${round(row.baseline)} → ${round(row.current)})`;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Regressions beyond tolerance become observations of the check they concern, so they show in its
 * row: a warning by default, a failure with baseline.onRegression "fail" (never for LD-CAPACITY: INFO).
 */
export function baselineFindings(
  current: LoadReport,
  baseline: { runId: string; load: ComparedLoad },
  settings: BaselineSettings,
): { rows: BaselineRow[]; observations: Observation[] } {
  const rows = compareWithBaseline(current, baseline.load, settings);
  const observations = rows
    .filter((r) => r.beyond)
    .map((r): Observation => ({
      id: CHECK_OF[r.metric],
      status: settings.onRegression === 'fail' && r.metric !== 'capacity' ? 'fail' : 'warn',
      expected: `no regression beyond tolerance against baseline run ${baseline.runId}`,
      observed: describe(r),
      reason: describe(r),
    }));
  return { rows, observations };
}
