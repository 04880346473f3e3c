import { runConformance } from '../checks/suites/conformance.ts';
import { validateReserveResponse } from '../checks/reserve-response.ts';
import { loadPlan, loadSecrets, observeContext } from './lib/context.ts';
import { functionalOptions } from './lib/functional.ts';

export { handleSummary } from './lib/summary.ts';

const plan = loadPlan();
const secrets = loadSecrets();

export const options = functionalOptions(plan, 'conformance', '5m');

export default function (): void {
  runConformance(observeContext(plan, secrets, 'conformance', validateReserveResponse));
}
