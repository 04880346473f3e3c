import { runSafety } from '../checks/observe/safety.ts';
import { SUMMARY_ENV } from '../checks/plan.ts';
import { loadPlan, loadSecrets, observeContext, tlsOptions } from './lib/context.ts';

const plan = loadPlan();
const secrets = loadSecrets();

// One VU: every funds measurement must see only the harness's own effects. Concurrency comes from
// http.batch, so duplicates really arrive at the same time; batch limits are raised to let them.
export const options = {
  scenarios: { safety: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '10m' } },
  batch: 64,
  batchPerHost: 64,
  ...tlsOptions(plan),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export default function (): void {
  runSafety(observeContext(plan, secrets, 'safety'));
}

export function handleSummary(data: unknown): Record<string, string> {
  const path = __ENV[SUMMARY_ENV];
  return path ? { [path]: JSON.stringify(data, null, 2) } : {};
}
