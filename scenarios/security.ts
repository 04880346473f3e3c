import { runSecurity } from '../checks/suites/security.ts';
import { validateReserveResponse } from '../checks/reserve-response.ts';
import { loadPlan, loadSecrets, observeContext } from './lib/context.ts';
import { functionalOptions } from './lib/functional.ts';

export { handleSummary } from './lib/summary.ts';

const plan = loadPlan();
const secrets = loadSecrets();

export const options = functionalOptions(plan, 'security', '10m');

export default function (): void {
  runSecurity(observeContext(plan, secrets, 'security', validateReserveResponse));
}
