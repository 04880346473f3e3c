import { z } from 'zod';
import { PLAN_SCHEMA_VERSION, type Plan } from '../../checks/plan.ts';
import { SUITES } from '../../checks/ids.ts';
import { usageError } from '../util/errors.ts';
import { readJsonFile } from '../util/json-file.ts';

const account = z.object({ sourceIdentifier: z.string(), hasAuthCode: z.boolean(), balance: z.number().optional() });

/**
 * plan.json as Node reads it back (reconcile, report --merge): what those commands rely on is checked and
 * the rest kept as written, so a plan from another bankcert version, or an edited one, is a clear error.
 */
const PlanFileSchema = z.looseObject({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  runId: z.string(),
  bank: z.string(),
  suites: z.array(z.enum(SUITES)),
  target: z.looseObject({ reserveFundsUrl: z.string(), transactResultUrl: z.string(), timeoutMs: z.number(), insecureSkipVerify: z.boolean() }),
  signing: z.object({ enabled: z.boolean(), secretEnv: z.string() }),
  accounts: z.looseObject({ load: z.array(account) }).catchall(account.optional()),
  cancel: z.object({ reserveFundsTxnRef: z.enum(['empty', 'raasTxnRef']), responseCode: z.number() }),
});

export function readPlanFile(path: string): Plan {
  const plan = readJsonFile(path, PlanFileSchema, {
    unreadable: (err) => usageError(`cannot read ${path}: ${err.message}`, ['Give the folder a `bankcert certify` or `bankcert bundle` run wrote.'], err),
    invalid: (where) =>
      usageError(`${path} is not a plan this bankcert (plan schemaVersion ${PLAN_SCHEMA_VERSION}) can read: ${where}`, [
        'Use the bankcert version that made the run.',
      ]),
  });
  return plan as unknown as Plan;
}
