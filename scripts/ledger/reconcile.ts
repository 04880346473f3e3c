import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankcertSecrets } from '../../checks/plan.ts';
import { readPlanFile } from '../run/plan-file.ts';
import { tlsOf } from '../util/http.ts';
import { cleanup } from './cleanup.ts';
import { usageError } from '../util/errors.ts';
import { LedgerFile, ledgerCsv, ledgerPath, parseLedgerNdjson, resentSessions } from './ledger.ts';
import { openReservations, summariseLedger } from '../../checks/ledger.ts';
import type { Ui } from '../util/terminal.ts';

/**
 * `bankcert reconcile DIR`: finishes, later, every reservation a run left without an acknowledged
 * outcome (the CLI was killed, the bank was down during cleanup), and those of the requests re-sent since
 * (`bankcert replay`, `verify --against`: DIR/resent/*, each with its own plan). Reads only the plan.json
 * and ledger.ndjson of each; the signing secret comes from the environment variable the plan names.
 * Returns the exit code: 0 when nothing stays open, 3 when the bank still does not acknowledge.
 */
export async function reconcile(dir: string, env: NodeJS.ProcessEnv, ui: Ui): Promise<number> {
  let code = await reconcileLedger(dir, dir, env, ui);
  for (const session of resentSessions(dir)) {
    const open = openReservations(parseLedgerNdjson(readFileSync(ledgerPath(session), 'utf8'))).length;
    if (open === 0) continue;
    ui.info(`reconcile: re-sent requests in ${session}:`);
    code = Math.max(code, await reconcileLedger(session, dir, env, ui));
  }
  return code;
}

/** One ledger and the plan beside it; `shown` is the folder to name in messages (the run's). */
async function reconcileLedger(dir: string, shown: string, env: NodeJS.ProcessEnv, ui: Ui): Promise<number> {
  const planFile = join(dir, 'plan.json');
  const ledgerFile = ledgerPath(dir);
  if (!existsSync(planFile) || !existsSync(ledgerFile)) {
    throw usageError(`${dir} has no plan.json and ledger.ndjson`, ['Give the --out folder of a `bankcert certify` run.']);
  }
  const plan = readPlanFile(planFile);
  const rows = parseLedgerNdjson(readFileSync(ledgerFile, 'utf8'));
  const open = openReservations(rows);
  if (open.length === 0) {
    ui.info(`nothing to reconcile: all ${summariseLedger(rows).reservations} reservations in ${dir} have an acknowledged outcome`);
    return 0;
  }
  const secrets: BankcertSecrets = { authCodes: {} };
  if (plan.signing.enabled) {
    const secret = env[plan.signing.secretEnv];
    if (!secret)
      throw usageError(`the run was signed but ${plan.signing.secretEnv} is not set`, [
        `export ${plan.signing.secretEnv}=<the shared secret> and run reconcile again.`,
      ]);
    secrets.signingSecret = secret;
    ui.scrubber.add([secret]);
  }
  ui.info(`reconcile: finishing ${open.length} open reservation(s) at ${plan.target.transactResultUrl}`);
  const ledger = new LedgerFile(ledgerFile, rows);
  let outcome;
  try {
    outcome = await cleanup(open, { plan, secrets, tls: tlsOf(plan), record: (row) => ledger.add(row), log: (l) => ui.warn(`  ${l}`) });
  } finally {
    await ledger.close();
    writeFileSync(join(dir, 'ledger.csv'), ledgerCsv(ledger.rows));
  }
  const after = summariseLedger(ledger.rows);
  ui.info(`reconcile: ${after.reservations} reservations, ${after.debited} debited, ${after.released} released, ${after.open} still open`);
  if (after.open === 0) return 0;
  // The last line says what is left and what to do, whether the bank is down or refuses the outcome.
  ui.info(
    outcome.gaveUp
      ? `reconcile: ${outcome.gaveUp}; run \`bankcert reconcile ${shown}\` again once it answers`
      : `reconcile: the bank did not acknowledge ${after.open} outcome(s) (see the lines above); contact the bank about them, then run \`bankcert reconcile ${shown}\` again`,
  );
  return 3;
}
