import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from '../../checks/ledger.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import { processPrefixOf } from '../../checks/suites/context.ts';
import { ResponseCounter } from '../load/responses.ts';
import { capacityFigures, combinedLoad, LOAD_RUNS_FILE, profileFigures, recordedRun, type LoadRunRecord, type LoadRunsFile } from '../run/load-run.ts';

/**
 * The load figures of a run, again, from its records alone: DIR/load-runs.json (which k6 runs made the
 * figures, their schedules and the generator's CPU), the samples each run wrote, and the ledger (the
 * response codes, one 'reserve' row per iteration). The same functions as the run (scripts/run/load-run.ts)
 * turn them into the load report; only how a run's records are read lives here, so a change of the
 * records' format changes this file and recordedRun, nothing else of verify.
 */
export async function rederiveLoad(dir: string, runId: string, ledger: readonly LedgerRow[]): Promise<LoadReport | undefined> {
  const file = join(dir, LOAD_RUNS_FILE);
  if (!existsSync(file)) return undefined;
  const { options, runs } = JSON.parse(readFileSync(file, 'utf8')) as LoadRunsFile;
  const rebuilt = await Promise.all(
    runs.map(async (r) => ({ kind: r.kind, run: await recordedRun(r.files.map((f) => join(dir, f)), r, options, responsesOf(r, runId, ledger)) })),
  );
  const profile = rebuilt.find((r) => r.kind === 'profile');
  const steps = rebuilt.filter((r) => r.kind === 'step').map((r) => r.run);
  return combinedLoad(profile ? profileFigures(profile.run, options) : undefined, steps.length > 0 ? await capacityFigures(steps, options) : undefined);
}

/** A run's reserveFunds answers by code, from the ledger rows of its references (what the run counted from its iteration records). */
function responsesOf(r: LoadRunRecord, runId: string, ledger: readonly LedgerRow[]): ResponseCounter {
  const prefixes = r.parts.map((part) => processPrefixOf(runId, 'load', part));
  const counter = new ResponseCounter();
  for (const row of ledger) {
    if (row.kind !== 'reserve' || row.by !== 'scenario' || !prefixes.some((p) => row.raasTxnRef.startsWith(p))) continue;
    counter.add({ status: row.httpStatus, code: row.code, sentAt: row.at, answeredAt: row.at });
  }
  return counter;
}
