import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckId } from '../../checks/ids.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import type { Observation } from '../../checks/observation.ts';
import { ResultSchema, type Result } from '../../checks/result.ts';
import type { Config } from '../config/schema.ts';
import { usageError } from '../util/errors.ts';
import { compareWithBaseline, type BaselineRow } from '../load/baseline.ts';

/** An earlier result.json, validated: the nightly comparison point. */
export function readBaseline(dir: string): Result {
  const path = join(dir, 'result.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw usageError(`--baseline ${dir}: cannot read ${path}: ${(err as Error).message}`, ['Give the --out folder of an earlier `bankcert certify` run.'], err);
  }
  const parsed = ResultSchema.safeParse(raw);
  if (!parsed.success) throw usageError(`--baseline ${dir}: ${path} is not a bankcert result`);
  if (!parsed.data.load) throw usageError(`--baseline ${dir}: that run has no load figures`, ['Use a run that included the load suite.']);
  return parsed.data;
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
export function baselineFindings(current: LoadReport, baseline: Result, config: Config): { rows: BaselineRow[]; observations: Observation[] } {
  const rows = compareWithBaseline(current, baseline.load as LoadReport, config.baseline);
  const observations = rows
    .filter((r) => r.beyond)
    .map((r): Observation => ({
      id: CHECK_OF[r.metric],
      status: config.baseline.onRegression === 'fail' && r.metric !== 'capacity' ? 'fail' : 'warn',
      expected: `no regression beyond tolerance against baseline run ${baseline.runId}`,
      observed: describe(r),
      reason: describe(r),
    }));
  return { rows, observations };
}
