import { runSafety } from '../checks/suites/safety.ts';
import { validateReserveResponse } from '../checks/reserve-response.ts';
import { loadPlan, loadSecrets, observeContext } from './lib/context.ts';
import { functionalOptions } from './lib/functional.ts';

export { handleSummary } from './lib/summary.ts';

const plan = loadPlan();
const secrets = loadSecrets();

export const options = functionalOptions(plan, 'safety', '10m');

export default function (): void {
  runSafety(observeContext(plan, secrets, 'safety', validateReserveResponse));
}
