import { SUMMARY_ENV } from '../../checks/plan.ts';

/** The trend figures every bankcert scenario's k6 summary carries (k6-summary-SUITE.json). */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'];

/** k6's end-of-test summary goes to the file the CLI names, never to the terminal. */
export function handleSummary(data: unknown): Record<string, string> {
  const path = __ENV[SUMMARY_ENV];
  return path ? { [path]: JSON.stringify(data, null, 2) } : {};
}
