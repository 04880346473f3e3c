import { runConformance } from '../checks/observe/conformance.ts';
import { SUMMARY_ENV } from '../checks/plan.ts';
import { loadPlan, loadSecrets, observeContext, tlsOptions } from './lib/context.ts';

const plan = loadPlan();
const secrets = loadSecrets();

// One VU, one pass: the conformance rules are functional, sequential and must not race each other.
export const options = {
  scenarios: { conformance: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '5m' } },
  ...tlsOptions(plan),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

export default function (): void {
  runConformance(observeContext(plan, secrets, 'conformance'));
}

export function handleSummary(data: unknown): Record<string, string> {
  const path = __ENV[SUMMARY_ENV];
  return path ? { [path]: JSON.stringify(data, null, 2) } : {};
}
