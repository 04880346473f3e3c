import { readPlanFile } from './plan-file.ts';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { basename, join } from 'node:path';
import { holdAtPeakS, peakRate, plannedIterations, targetRateAt, totalDurationS } from '../../checks/load-profile.ts';
import { BUNDLE_SCHEMA_VERSION, RUNNER_LOGS_HINT, type BundleManifest } from './bundle.ts';
import { certificate } from './result.ts';
import { usageError } from '../util/errors.ts';
import type { Plan } from '../../checks/plan.ts';
import { ledgerCsv, ledgerNdjson } from '../ledger/ledger.ts';
import { summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import { EventLedger } from './event-ledger.ts';
import { toLoadReport } from '../load/aggregate.ts';
import { honestyProblems, unreportedIterations } from '../load/honesty.ts';
import { readLines } from '../load/lines.ts';
import { loadEventOf, LoadRecords } from '../load/records.ts';
import { writeReports } from './outputs.ts';
import { harnessVersion } from '../util/paths.ts';
import { Scrubber } from '../util/scrub.ts';
import { exitCode } from '../../checks/judge/verdict.ts';
import { readJsonFile } from '../util/json-file.ts';

/**
 * The ledger rows and the figures' records out of the runners' logs (`kubectl logs`: k6's JSON log lines),
 * the same console events the CLI reads live. Returns the rows and, per log, whether its end-of-test line
 * (the iterations begun and dropped) was there.
 */
async function readLogs(files: readonly string[], plan: Plan, records: LoadRecords): Promise<{ rows: LedgerRow[]; withoutEnd: string[] }> {
  const rows: LedgerRow[] = [];
  const load = new EventLedger(plan, (...r) => rows.push(...r));
  const withoutEnd: string[] = [];
  for (const file of files) {
    const endsBefore = records.ends;
    // Line by line: a runner's log may be large, and only one line is held at a time.
    await readLines(file, (line) => {
      const event = loadEventOf(line);
      if (event?.t === 'end') records.end(event);
      else if (event) {
        const batch = load.take(event);
        if (batch && batch.length > 0) records.add(batch);
      }
    });
    if (records.ends === endsBefore) withoutEnd.push(basename(file));
  }
  load.finish(records.ends === files.length ? records.figures.startedIterations : undefined);
  return { rows, withoutEnd };
}

/**
 * `bankcert report DIR --merge`: the certificate of a distributed run (see `bankcert bundle`): the
 * runners' logs carry their records (durations are concatenated, never averaged) and the ledger, and
 * bundle.json says which schedule and thresholds the run was planned with.
 */
export async function mergeDistributedRun(dir: string, print: (line: string) => void): Promise<number> {
  const manifestFile = join(dir, 'bundle.json');
  if (!existsSync(manifestFile))
    throw usageError(`${dir} has no bundle.json`, ["--merge reads a folder written by `bankcert bundle`, plus the runners' logs (runner-N.log)."]);
  const m = readManifest(manifestFile);
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, f));
  if (logs.length === 0)
    throw usageError(`${dir} has no runner logs (*.log)`, [
      `Save each runner's log into the folder first, as \`bankcert bundle\` printed: ${RUNNER_LOGS_HINT}.`,
    ]);
  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile))
    throw usageError(`${dir} has no plan.json`, ["--merge reads the folder `bankcert bundle` wrote; copy the runners' files into it."]);
  const plan = readPlanFile(planFile);
  const records = new LoadRecords(plannedIterations(m.schedule) + 64);
  const { rows: ledger, withoutEnd } = await readLogs(logs, plan, records);
  const aggregated = records.summarise(
    {
      profile: m.schedule.profile,
      targetRateAt: (t: number) => targetRateAt(m.schedule, t),
      durationS: totalDurationS(m.schedule),
      plannedIterations: plannedIterations(m.schedule),
      peakRate: peakRate(m.schedule),
      targetsMs: [m.thresholds.p95Ms, m.thresholds.p99Ms],
    },
    Math.max(logs.length, m.parallelism),
  );
  const problems = honestyProblems(aggregated);
  if (logs.length < m.parallelism) problems.push(`only ${logs.length} of ${m.parallelism} runners' logs are here`);
  if (withoutEnd.length > 0)
    problems.push(
      `${withoutEnd.join(', ')} ${withoutEnd.length === 1 ? 'has' : 'have'} no end-of-test line (the iterations k6 began and dropped): a runner did not finish, or its log is not whole`,
    );
  const unreported = unreportedIterations(aggregated);
  if (unreported)
    problems.push(
      `${unreported} (a runner's log must be whole: the kubelet rotates a container's log past containerLogMaxSize, 10 MiB by default, and kubectl logs shows the last file only)`,
    );
  const load = {
    ...toLoadReport(aggregated, problems),
    level: { profile: m.schedule.profile, rate: peakRate(m.schedule), holdS: holdAtPeakS(m.schedule) },
    expectedPeakRate: m.expectedPeakRate ?? null,
    responses: records.responses.summary(aggregated.t0EpochMs, aggregated.timeline.length),
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
  print(`merged ${logs.length} runner log(s): ${load.iterations} iterations, verdict ${result.verdict}`);
  return exitCode(result.verdict);
}

/**
 * bundle.json as `report --merge` reads it back: what the merge relies on is checked and the rest kept as
 * written, so a bundle from another bankcert version, or an edited one, is a clear error (exit 2).
 */
const BundleManifestSchema = z.looseObject({
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  bank: z.string(),
  runId: z.string(),
  parallelism: z.number().int().min(1),
  schedule: z.looseObject({ profile: z.string() }),
  thresholds: z.looseObject({ p95Ms: z.number(), p99Ms: z.number() }),
  expectedPeakRate: z.number().nullable().optional(),
  configDigest: z.string(),
  signing: z.boolean(),
  target: z.object({ reserveFundsUrl: z.string(), transactResultUrl: z.string() }),
  k6Version: z.string(),
});

function readManifest(file: string): BundleManifest {
  const manifest = readJsonFile(file, BundleManifestSchema, {
    unreadable: (err) => usageError(`${file} is not JSON`, ['It is written by `bankcert bundle`; make the bundle again.'], err),
    invalid: (where) =>
      usageError(`${file} is not a bundle of schemaVersion ${BUNDLE_SCHEMA_VERSION} this bankcert can merge (${where})`, [
        'Merge with the bankcert version that made the bundle, or make the bundle again with this one.',
      ]),
  });
  return manifest as unknown as BundleManifest;
}
