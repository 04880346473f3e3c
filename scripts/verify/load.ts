import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAccountRoles } from '../../checks/load-records.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import type { Plan } from '../../checks/plan.ts';
import { LoadRecords } from '../load/records.ts';
import { capacityFigures, combinedLoad, LOAD_RUNS_FILE, profileFigures, recordedRun, type LoadRunsFile, type OneRun } from '../run/load-run.ts';

/**
 * The load figures of a run, again, from its records alone: DIR/load-runs.json (which k6 runs made the
 * figures, their schedules and the generator's CPU) and the records files each run kept (every
 * iteration's references, statuses, codes and times). The same functions as the run (scripts/run/load-run.ts)
 * turn them into the load report; only how a run's records are found lives here.
 */
export async function rederiveLoad(dir: string, plan: Plan): Promise<LoadReport | undefined> {
  const file = join(dir, LOAD_RUNS_FILE);
  if (!existsSync(file)) return undefined;
  const { options, runs } = JSON.parse(readFileSync(file, 'utf8')) as LoadRunsFile;
  const roles = loadAccountRoles(plan);
  const filesOf = (files: readonly string[]) => files.map((f) => join(dir, f));
  const profile = runs.find((r) => r.kind === 'profile');
  const steps = runs.filter((r) => r.kind === 'step');
  const main = profile ? profileFigures(await recordedRun(filesOf(profile.files), profile, options, roles), options, profile.interrupted) : undefined;
  if (steps.length === 0) return combinedLoad(main, undefined);
  // Each step's records, and all of them for the search's figures, fed in run order as the run fed them.
  const all = new LoadRecords();
  const stepRuns: OneRun[] = [];
  for (const r of steps) stepRuns.push(await recordedRun(filesOf(r.files), r, options, roles, all));
  return combinedLoad(main, capacityFigures(stepRuns, options, all));
}
