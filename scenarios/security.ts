import { runSecurity } from '../checks/observe/security.ts';
import { SUMMARY_ENV } from '../checks/plan.ts';
import { loadPlan, loadSecrets, observeContext, tlsOptions } from './lib/context.ts';

const plan = loadPlan();
const secrets = loadSecrets();

// One VU: the probe account's funds must change only through the harness's own requests.
export const options = {
  scenarios: { security: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '10m' } },
  ...tlsOptions(plan),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export default function (): void {
  runSecurity(observeContext(plan, secrets, 'security'));
}

export function handleSummary(data: unknown): Record<string, string> {
  const path = __ENV[SUMMARY_ENV];
  return path ? { [path]: JSON.stringify(data, null, 2) } : {};
}
