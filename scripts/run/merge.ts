import { readPlanFile } from './plan-file.ts';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_PREFIX, type ScenarioEvent } from '../../checks/events.ts';
import { holdAtPeakS, peakRate, plannedIterations, targetRateAt, totalDurationS } from '../../checks/load-profile.ts';
import type { BundleManifest } from './bundle.ts';
import { certificate } from './result.ts';
import { usageError } from '../util/errors.ts';
import type { Plan } from '../../checks/plan.ts';
import { ledgerCsv, ledgerNdjson } from '../ledger/ledger.ts';
import { summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import { LoadLedger } from './event-ledger.ts';
import { aggregateLoad, toLoadReport } from '../load/aggregate.ts';
import { honestyProblems } from '../load/honesty.ts';
import { ResponseCounter } from '../load/responses.ts';
import { writeReports } from './outputs.ts';
import { harnessVersion } from '../util/paths.ts';
import { Scrubber } from '../util/scrub.ts';
import { exitCode } from '../../checks/judge/verdict.ts';

/**
 * Ledger rows out of k6 JSON logs (one per runner): the same console events the CLI reads live.
 * `started`: the iterations the runners began (their bankcert_started samples), for LoadLedger.finish.
 */
function ledgerFromLogs(files: readonly string[], plan: Plan, started: number | undefined, responses: ResponseCounter): LedgerRow[] {
  const rows: LedgerRow[] = [];
  const load = new LoadLedger(plan, (...r) => rows.push(...r));
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"t\\":') && !line.startsWith(EVENT_PREFIX)) continue;
      let event: ScenarioEvent;
      try {
        const outer = JSON.parse(line) as { msg?: string; t?: string };
        event = (outer.t ? outer : JSON.parse(outer.msg ?? '')) as ScenarioEvent;
      } catch {
        continue; // not an event line
      }
      load.take(event);
      if (event.t === 'it') responses.add(event);
    }
  }
  load.finish(started);
  return rows;
}

/**
 * `bankcert report DIR --merge`: the certificate of a distributed run (see `bankcert bundle`): the
 * runners' raw samples aggregate exactly (durations are concatenated, never averaged), their logs give
 * the ledger, and bundle.json says which schedule and thresholds the run was planned with.
 */
export async function mergeDistributedRun(dir: string, print: (line: string) => void): Promise<number> {
  const manifestFile = join(dir, 'bundle.json');
  if (!existsSync(manifestFile)) throw usageError(`${dir} has no bundle.json`, ['--merge reads a folder written by `bankcert bundle`, plus the runners\' raw-load-*.ndjson and logs.']);
  const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as BundleManifest;
  const files = readdirSync(dir);
  const raws = files.filter((f) => /^raw-load.*\.ndjson(\.gz)?$/.test(f)).map((f) => join(dir, f));
  if (raws.length === 0) throw usageError(`${dir} has no raw-load*.ndjson files`, ['Copy each runner\'s raw samples into the folder first.']);
  const logs = files.filter((f) => f.endsWith('.log')).map((f) => join(dir, f));
  const aggregated = await aggregateLoad(raws, {
    profile: m.schedule.profile,
    targetRateAt: (t: number) => targetRateAt(m.schedule, t),
    durationS: totalDurationS(m.schedule),
    plannedIterations: plannedIterations(m.schedule),
    peakRate: peakRate(m.schedule),
    instances: Math.max(raws.length, m.parallelism),
    targetsMs: [m.thresholds.p95Ms, m.thresholds.p99Ms],
  });
  const problems = honestyProblems(aggregated);
  if (raws.length < m.parallelism) problems.push(`only ${raws.length} of ${m.parallelism} runners' samples are here`);
  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile)) throw usageError(`${dir} has no plan.json`, ['--merge reads the folder `bankcert bundle` wrote; copy the runners\' files into it.']);
  const plan = readPlanFile(planFile);
  const responses = new ResponseCounter();
  const ledger = ledgerFromLogs(logs, plan, aggregated.startedIterations, responses);
  const load = {
    ...toLoadReport(aggregated, problems),
    level: { profile: m.schedule.profile, rate: peakRate(m.schedule), holdS: holdAtPeakS(m.schedule) },
    expectedPeakRate: m.expectedPeakRate ?? null,
    responses: responses.summary(aggregated.t0EpochMs, aggregated.timeline.length),
  };
  const money = summariseLedger(ledger);
  const harnessProblems = problems.map((p) => `load: ${p}`);
  if (money.open > 0) harnessProblems.push(`${money.open} reservation(s) are still held at the bank: run \`bankcert reconcile ${dir}\``);
  const { result } = certificate(
    {
      facts: {
        bank: m.bank,
        target: m.target,
        suites: ['load'],
        signing: m.signing,
        startedAt: ledger[0]?.at ?? new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        runId: m.runId,
        harness: { version: harnessVersion(), k6Version: m.k6Version },
        configDigest: m.configDigest,
      },
      plan: { accounts: plan.accounts, signing: { ...plan.signing, enabled: m.signing } },
      observations: [],
      ledger,
      load,
      judgedWith: { outDir: dir, thresholds: m.thresholds, harnessProblems },
    },
    new Scrubber(),
  );
  writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeReports(dir, result, new Scrubber());
  writeFileSync(join(dir, 'ledger.ndjson'), ledgerNdjson(ledger));
  writeFileSync(join(dir, 'ledger.csv'), ledgerCsv(ledger));
  print(`merged ${raws.length} runner sample file(s) and ${logs.length} log(s): ${load.iterations} iterations, verdict ${result.verdict}`);
  return exitCode(result.verdict);
}
