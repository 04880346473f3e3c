import type { Plan } from '../../checks/plan.ts';
import { tlsOptions } from './context.ts';
import { SUMMARY_TREND_STATS } from './summary.ts';

/**
 * Options of a functional suite: one VU, one pass. Functional rules run in sequence so that they do not
 * race each other and every funds measurement sees only the harness's own effects; concurrency, where a
 * check needs it, comes from http.batch (batch limits raised so duplicates really arrive together).
 */
export function functionalOptions(plan: Plan, scenario: string, maxDuration: string) {
  return {
    scenarios: { [scenario]: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration } },
    batch: 64,
    batchPerHost: 64,
    ...tlsOptions(plan),
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
}
