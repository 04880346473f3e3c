import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import type { LoadReport } from '../../checks/load-report.ts';
import {
  PEAK_PROFILES,
  PROFILE_DEFAULTS,
  PROFILES,
  defaultDurationS,
  holdAtPeakS,
  peakRate,
  plannedIterations,
  scheduleFor,
  targetRateAt,
  totalDurationS,
  type LoadSchedule,
  type Profile,
} from '../../checks/load-profile.ts';
import { RAW_SAMPLES_ENV } from '../../checks/load-driver.ts';
import { INSTANCE_ENV, LOAD_SCHEDULE_ENV } from '../../checks/plan.ts';
import { ConfigError } from '../config/errors.ts';
import type { Config } from '../config/schema.ts';
import { usageError } from '../util/errors.ts';
import { toLoadReport, type AggregatedLoad, type LoadPlan } from '../load/aggregate.ts';
import { capacityFromSteps, stepHolds, type StepFigures } from '../load/capacity.ts';
import { cpuSampler, honestyProblems, unreportedIterations } from '../load/honesty.ts';
import { LoadRecords, recordsFromFiles } from '../load/records.ts';
import { ResponseCounter } from '../load/responses.ts';
import { runScenario, type RunContext, type ScenarioExtras, type Sink } from './scenario-run.ts';

export interface LoadOptions {
  /** The profile certified for latency, errors and declines; absent when only the capacity search runs. */
  profile: Exclude<Profile, 'capacity'> | undefined;
  /** Whether the capacity search runs (after the profile, when both are asked for). */
  capacity: boolean;
  /**
   * 'peak': no profile was chosen, so the run certifies load.expectedPeakRate with the load profile;
   * 'explicit': --profile or load.profile chose it.
   */
  chosenBy: 'peak' | 'explicit';
  rate: number;
  capacityStartRate: number;
  durationS: number;
  stepDurationS: number;
  maxRate: number;
  thresholds: { p95Ms: number; p99Ms: number; errorRate: number; declineRate: number };
  /** k6 processes sharing the load (execution segments); the capacity search always uses one. */
  instances: number;
  /** load.expectedPeakRate, recorded on the certificate; null when the bank declared none. */
  expectedPeakRate: number | null;
  /** `bankcert demo`: the certificate says the load was a demonstration. */
  demo?: boolean;
  /**
   * `certify --k6-raw-samples`: k6 also writes its raw samples (raw-load*.ndjson, `--out json`) for the
   * user's own analysis. The figures come from the load suite's records either way; the raw output
   * roughly halves the rate one core of k6 can drive (bench/RESULTS.md).
   */
  k6RawSamples?: boolean;
}

const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** k6 duration ("1h30m", "45s", "500ms") in seconds. */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(n) * (UNIT_S[unit ?? 's'] ?? 1);
  return total;
}

/**
 * The load run a config (and --profile) asks for. Pure: it sends nothing and throws a usage error (exit 2)
 * for a choice that cannot run, so it can be called before any traffic.
 *
 * A profile is chosen explicitly by --profile or by load.profile in the config. Without one, the run
 * certifies the bank's declared peak: the load profile at load.expectedPeakRate (plus the capacity search
 * when thresholds.minCapacity is set), and a config that declares no peak is an error naming the key.
 */
export function loadOptions(config: Config, profileOverride: string | undefined, instances = 1): LoadOptions {
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw usageError(`--instances ${instances}: use a whole number from 1 to 64`);
  const chosen = profileOverride ?? config.load.profile;
  const expectedPeakRate = config.load.expectedPeakRate ?? null;
  if (chosen === undefined && expectedPeakRate === null) {
    throw new ConfigError([
      'config load.expectedPeakRate: is missing, and no load profile was chosen, so there is no peak to certify. ' +
        'Fix: add "expectedPeakRate": <your expected peak purchases per second, from your own traffic figures, with headroom> to the "load" section ' +
        '(certify then runs the load profile at that rate and holds it at least 2 minutes), or choose a profile for a run that does not prove the peak, e.g. --profile smoke',
    ]);
  }
  const names =
    chosen === undefined
      ? ['load', ...(config.thresholds.minCapacity !== undefined ? ['capacity'] : [])]
      : [
          ...new Set(
            chosen
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean),
          ),
        ];
  for (const name of names) {
    if (!(PROFILES as readonly string[]).includes(name)) {
      throw usageError(`--profile ${name}: unknown load profile`, [`Profiles: ${PROFILES.map((p) => `${p} (${PROFILE_DEFAULTS[p].what})`).join('; ')}.`]);
    }
  }
  const fixed = names.filter((n): n is Exclude<Profile, 'capacity'> => n !== 'capacity');
  if (fixed.length > 1) throw usageError(`--profile ${names.join(',')}: one load profile per run (plus capacity)`, ['For example --profile load,capacity.']);
  const profile = fixed[0];
  const capacity = names.includes('capacity');
  const main: Profile = profile ?? 'capacity';
  // The profiles defined relative to the expected rate run at the declared peak unless load.rate says otherwise.
  const rate =
    config.load.rate ??
    (profile !== undefined && PEAK_PROFILES.includes(profile) && expectedPeakRate !== null ? expectedPeakRate : PROFILE_DEFAULTS[main].rate);
  return {
    profile,
    capacity,
    chosenBy: chosen === undefined ? 'peak' : 'explicit',
    rate,
    // Alone, the capacity search starts at load.rate; after a profile, at its own start rate.
    capacityStartRate:
      config.load.capacityStartRate ?? (profile === undefined ? (config.load.rate ?? PROFILE_DEFAULTS.capacity.rate) : PROFILE_DEFAULTS.capacity.rate),
    durationS: config.load.duration ? durationSeconds(config.load.duration) : defaultDurationS(main, rate),
    stepDurationS: durationSeconds(config.load.stepDuration),
    maxRate: config.load.maxRate,
    thresholds: {
      p95Ms: config.thresholds.p95Ms,
      p99Ms: config.thresholds.p99Ms,
      errorRate: config.thresholds.errorRate,
      declineRate: config.thresholds.declineRate,
    },
    instances,
    expectedPeakRate,
  };
}

/** Raw samples (--k6-raw-samples): only the tags the aggregation reads, so the NDJSON stays small. */
const rawArgs = (file: string) => ['--out', `json=${file}`, '--system-tags', 'status,error_code'];

/**
 * The `k6 run` arguments of instance i of n of a load run, exactly as certify passes them (the bench
 * measures with the same): nothing but the execution segment, unless raw samples were asked for.
 */
export function loadK6Args(o: Pick<LoadOptions, 'k6RawSamples'>, rawFile: string, i: number, instances: number): string[] {
  return [...(o.k6RawSamples ? rawArgs(rawFile) : []), ...segmentArgs(i, instances)];
}

/** The environment of instance i of a load run; `part` names a capacity step in every reference. */
export function loadK6Env(o: Pick<LoadOptions, 'k6RawSamples'>, schedule: LoadSchedule, i: number, part = ''): Record<string, string> {
  return { [LOAD_SCHEDULE_ENV]: JSON.stringify(schedule), [INSTANCE_ENV]: partOf(part, i), ...(o.k6RawSamples ? { [RAW_SAMPLES_ENV]: '1' } : {}) };
}

/** INSTANCE_ENV of process i of a run: the instance number, or the capacity step and its instance. */
const partOf = (part: string, i: number) => (part === '' ? String(i) : `${part}${i > 0 ? `.${i}` : ''}`);

/** One k6 run of the load suite: its records files, schedule and generator figures, what its load figures are derived from. */
export interface OneRun {
  files: string[];
  schedule: LoadSchedule;
  report: AggregatedLoad;
  cpuBusyMax: number;
  /** reserveFunds answers by code, from the run's per-iteration records. */
  responses: ResponseCounter;
}

/**
 * k6's own scale-out: instance i of n runs execution segment i/n:(i+1)/n of the same schedule, so the
 * instances together offer exactly the planned load and no iteration twice.
 */
export function segmentArgs(i: number, n: number): string[] {
  if (n <= 1) return [];
  const at = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return ['--execution-segment', `${at(i)}:${at(i + 1)}`, '--execution-segment-sequence', Array.from({ length: n + 1 }, (_, k) => at(k)).join(',')];
}

/**
 * What instance i of a load run is started with and what its records feed, exactly as certify runs it
 * (the bench measures the same): the k6 arguments and environment; the records into `records` (and `also`:
 * the capacity search's figures over all steps) and, one batch per line, into `kept`, then k6's
 * end-of-test counts. `part` names a capacity step in every reference.
 */
export function loadInstance(
  o: Pick<LoadOptions, 'k6RawSamples'>,
  outDir: string,
  schedule: LoadSchedule,
  at: { i: number; instances: number; name: string; part?: string },
  records: LoadRecords,
  kept: WriteStream,
  also?: LoadRecords,
): Required<Pick<ScenarioExtras, 'env' | 'args' | 'onRecords' | 'onEnd'>> {
  const suffix = at.instances > 1 ? `-${at.i}` : '';
  return {
    // The instance number (and step) keeps references unique: every k6 process numbers its VUs from 1.
    env: loadK6Env(o, schedule, at.i, at.part),
    args: loadK6Args(o, join(outDir, `raw-${at.name}${suffix}.ndjson`), at.i, at.instances),
    onRecords(batch, json) {
      records.add(batch);
      also?.add(batch);
      kept.write(`${json}\n`);
    },
    onEnd(e) {
      records.end(e);
      also?.end(e);
      kept.write(`${JSON.stringify(e)}\n`);
    },
  };
}

/**
 * One k6 run of the load suite (split over `instances` processes): its records feed the figures, the
 * ledger (in runScenario) and `also`, and are kept in DIR/records-NAME[-i].ndjson (recordsFromFiles reads
 * them back). `part`: names this run in every reference (capacity steps), so no two runs send the same
 * raasTxnRef.
 */
async function runOnce(
  ctx: RunContext,
  sink: Sink,
  o: LoadOptions,
  schedule: LoadSchedule,
  label: string,
  name: string,
  instances = 1,
  part = '',
  also?: LoadRecords,
): Promise<OneRun | undefined> {
  const planned = plannedIterations(schedule);
  const records = new LoadRecords(planned + 64);
  const duration = totalDurationS(schedule);
  const files = Array.from({ length: instances }, (_, i) => join(ctx.outDir, `records-${name}${instances > 1 ? `-${i}` : ''}.ndjson`));
  const outputs: WriteStream[] = [];
  // One sampler over all instances, started once the test runs: k6 compiling the script for every VU
  // before the first iteration is start-up, not load generation.
  const pids: number[] = [];
  const cpu = cpuSampler({ pids: () => pids });
  let sampling = false;
  try {
    await Promise.all(
      files.map((file, i) => {
        const kept = createWriteStream(file);
        outputs.push(kept);
        return runScenario('load', ctx, sink, {
          ...loadInstance(o, ctx.outDir, schedule, { i, instances, name, part }, records, kept, also),
          onStart(pid) {
            if (pid !== undefined) pids.push(pid);
          },
          onFirstEvent() {
            if (sampling) return;
            sampling = true;
            cpu.start();
          },
          label: instances > 1 ? `${label} instance ${i + 1}/${instances}` : label,
          // One progress line for all instances.
          ...(i === 0
            ? {
                onTick(elapsedS: number | undefined) {
                  if (elapsedS === undefined) {
                    ctx.ui.info(`  ${label}: k6 is initialising its virtual users`);
                    return;
                  }
                  const { iterations, requests } = records.figures;
                  const declines = records.responses.declines;
                  ctx.ui.info(
                    `  ${label}: ${Math.min(Math.round(elapsedS), duration)} s of ${duration} s, ${iterations} reservations, ${requests.reserveFunds.errorCount} errors${declines > 0 ? `, ${declines} declined` : ''}`,
                  );
                },
              }
            : {}),
        });
      }),
    );
  } finally {
    await Promise.all(outputs.map((stream) => new Promise((resolve) => stream.end(resolve))));
  }
  const cpuBusyMax = sampling ? cpu.stop() : 0;
  if (records.figures.samples === 0 && records.ends === 0) {
    // Not thrown: the reservations made so far must still be cleaned up and reported.
    sink.problems.push(`the ${label} run produced no records (k6 did not start; see k6.log)`);
    return undefined;
  }
  const report = records.summarise(loadPlanOf(schedule, instances, o), instances);
  sink.loadRuns?.push({
    kind: part === '' ? 'profile' : 'step',
    label,
    files: files.map((f) => basename(f)),
    schedule,
    instances,
    parts: files.map((_, i) => partOf(part, i)),
    cpuBusyMax,
    interrupted: sink.interrupted,
  });
  return { files, schedule, report, cpuBusyMax, responses: records.responses };
}

/**
 * One k6 run as DIR/load-runs.json keeps it, for `bankcert verify`: what its figures are derived from
 * besides its records files (in DIR): the schedule, the generator's CPU, the references' `parts`
 * (INSTANCE_ENV of each process), and whether the run was interrupted.
 */
export interface LoadRunRecord {
  kind: 'profile' | 'step';
  label: string;
  files: string[];
  schedule: LoadSchedule;
  instances: number;
  parts: string[];
  cpuBusyMax: number;
  interrupted: boolean;
}

/** DIR/load-runs.json: the load options and every k6 run whose records made the figures, in run order. */
export interface LoadRunsFile {
  options: LoadOptions;
  runs: LoadRunRecord[];
}

export const LOAD_RUNS_FILE = 'load-runs.json';

/** What the figures are told about one run's schedule. */
function loadPlanOf(schedule: LoadSchedule, instances: number, o: Pick<LoadOptions, 'thresholds'>): LoadPlan {
  return {
    profile: schedule.profile,
    targetRateAt: (t: number) => targetRateAt(schedule, t),
    durationS: totalDurationS(schedule),
    plannedIterations: plannedIterations(schedule),
    peakRate: peakRate(schedule),
    instances,
    targetsMs: [o.thresholds.p95Ms, o.thresholds.p99Ms],
  };
}

/** The figures of one recorded run, again: its records files read as the run read them (`bankcert verify`). `roles`: loadAccountRoles of the plan. */
export async function recordedRun(
  files: readonly string[],
  r: Pick<LoadRunRecord, 'schedule' | 'instances' | 'cpuBusyMax'>,
  o: Pick<LoadOptions, 'thresholds'>,
  roles: readonly string[],
  also?: LoadRecords,
): Promise<OneRun> {
  const records = await recordsFromFiles(files, roles, undefined, also);
  return {
    files: [...files],
    schedule: r.schedule,
    report: records.summarise(loadPlanOf(r.schedule, r.instances, o), r.instances),
    cpuBusyMax: r.cpuBusyMax,
    responses: records.responses,
  };
}

/**
 * The load suite. A profile is one k6 run; the capacity profile is a search of short constant-rate
 * runs (doubling until a step fails, then bisecting), since one long ramp cannot tell at which rate
 * the bank stopped keeping up.
 */
export async function runLoad(ctx: RunContext, sink: Sink, o: LoadOptions): Promise<LoadReport | undefined> {
  const main = o.profile ? await runProfile(ctx, sink, o, o.profile) : undefined;
  const searched = o.capacity && !sink.interrupted ? await runCapacity(ctx, sink, o) : undefined;
  return combinedLoad(main, searched);
}

/** Both: latency and errors are judged on the profile, capacity comes from the search. */
export function combinedLoad(main: LoadReport | undefined, searched: LoadReport | undefined): LoadReport | undefined {
  if (main && searched) return { ...main, profile: `${main.profile}+capacity`, capacity: searched.capacity ?? { steps: [], highestRate: null } };
  return main ?? searched;
}

async function runProfile(ctx: RunContext, sink: Sink, o: LoadOptions, profile: Exclude<Profile, 'capacity'>): Promise<LoadReport | undefined> {
  const schedule = scheduleFor(profile, o.rate, o.durationS);
  const peak = o.chosenBy === 'peak' ? ` (the declared peak, load.expectedPeakRate)` : '';
  ctx.ui.info(
    `suite load: profile ${profile}, ${peakRate(schedule)} iterations/s${peak} held ${holdAtPeakS(schedule)} s, ${totalDurationS(schedule)} s in all${o.instances > 1 ? `, ${o.instances} k6 instances` : ''}`,
  );
  const run = await runOnce(ctx, sink, o, schedule, 'load', 'load', o.instances);
  if (!run) return undefined;
  const report = profileFigures(run, o, sink.interrupted);
  sink.problems.push(...report.notHonest.map((p) => `load: ${p}`));
  return report;
}

/** A profile run's load report, from its records (the run, and `bankcert verify`). */
export function profileFigures(run: OneRun, o: LoadOptions, interrupted: boolean): LoadReport {
  const schedule = run.schedule;
  // An interrupted run leaves iterations unreported by design; cleanup settles them.
  const unreported = interrupted ? undefined : unreportedIterations(run.report);
  const report = toLoadReport(run.report, [...honestyProblems(run.report, { cpuBusyMax: run.cpuBusyMax }), ...(unreported ? [unreported] : [])]);
  return finish(report, o, { profile: schedule.profile, rate: peakRate(schedule), holdS: holdAtPeakS(schedule) }, run.responses, run.report.t0EpochMs);
}

async function runCapacity(ctx: RunContext, sink: Sink, o: LoadOptions): Promise<LoadReport | undefined> {
  ctx.ui.info(`suite load: capacity search, steps of ${o.stepDurationS} s from ${o.capacityStartRate}/s up to ${o.maxRate}/s`);

  const runs: OneRun[] = [];
  // Every step's records, for the figures of the whole search (timeline, histogram, endpoints).
  const all = new LoadRecords();
  let stopped = false;
  const step = async (rate: number) => {
    const n = runs.length + 1;
    const run = await runOnce(
      ctx,
      sink,
      o,
      scheduleFor('capacity', rate, o.stepDurationS),
      `load step ${n} (${round(rate)}/s)`,
      `load-step-${n}`,
      1,
      `s${n}`,
      all,
    );
    if (!run) {
      stopped = true;
      return false;
    }
    runs.push(run);
    const figures = stepFigures(run);
    const held = stepHolds(figures, o.thresholds);
    ctx.ui.info(
      `  step ${n}: ${round(rate)}/s → achieved ${round(figures.achievedRate)}/s, p95 ${round(figures.p95Ms)} ms, errors ${(figures.errorRate * 100).toFixed(2)} %, declines ${((figures.declineRate ?? 0) * 100).toFixed(2)} % → ${held ? 'held' : 'did not hold'}`,
    );
    return held;
  };
  let lo = 0;
  let hi = 0;
  // Doubling, and load.maxRate itself as the last step, so a declared thresholds.minCapacity up to it can be reached.
  for (let rate = Math.max(1, Math.round(o.capacityStartRate)); rate <= o.maxRate && !sink.interrupted && !stopped; rate = Math.min(rate * 2, o.maxRate)) {
    if (await step(rate)) lo = rate;
    else {
      hi = rate;
      break;
    }
    if (rate >= o.maxRate) break;
  }
  // Bisect to within 4 % (the capacity figure must be within 10 % of the truth); k6 takes whole rates.
  while (hi > 0 && !sink.interrupted && !stopped && hi - lo > 1 && (hi - lo) / hi > 0.04 && runs.length < 16) {
    const mid = Math.round(lo === 0 ? hi / 2 : (lo + hi) / 2);
    if (await step(mid)) lo = mid;
    else hi = mid;
  }
  if (runs.length === 0) return undefined;
  const report = capacityFigures(runs, o, all);
  sink.problems.push(...report.notHonest.map((p) => `load: ${p}`));
  return report;
}

/** The capacity search's load report, from its steps in the order they ran and `all` their records (the run, and `bankcert verify`). */
export function capacityFigures(runs: readonly OneRun[], o: LoadOptions, all: LoadRecords): LoadReport {
  const measured = all.summarise(
    {
      profile: 'capacity',
      targetRateAt: () => 0,
      durationS: runs.reduce((s, r) => s + totalDurationS(r.schedule), 0),
      plannedIterations: runs.reduce((s, r) => s + plannedIterations(r.schedule), 0),
      peakRate: Math.max(...runs.map((r) => peakRate(r.schedule))),
      targetsMs: [o.thresholds.p95Ms, o.thresholds.p99Ms],
    },
    1,
  );
  // In rate order: the search visits rates out of order, and capacity is the highest rate below the lowest that failed.
  const capacity = capacityFromSteps(
    runs.map(stepFigures).sort((a, b) => a.rate - b.rate),
    o.thresholds,
  );
  // Above capacity a step falls behind by design, which is what the search measures; only a saturated
  // generator makes it dishonest.
  const cpuBusyMax = Math.max(...runs.map((r) => r.cpuBusyMax));
  const notHonest =
    cpuBusyMax >= 0.95
      ? honestyProblems(
          { ...measured, droppedIterations: 0, achievedRate: measured.plannedIterations / Math.max(measured.durationS, 1), startedIterations: 0 },
          { cpuBusyMax },
        )
      : [];
  const top = Math.max(...runs.map((r) => peakRate(r.schedule)));
  const report = toLoadReport(measured, notHonest, { ...capacity, stepS: o.stepDurationS });
  return finish(report, o, { profile: 'capacity', rate: top, holdS: o.stepDurationS }, all.responses, measured.t0EpochMs);
}

function stepFigures(run: OneRun): StepFigures {
  const r = run.report;
  return {
    rate: peakRate(run.schedule),
    // Only iterations completed within the step count: ones still queued at the bank when the step ended
    // (finished in k6's graceful stop) are exactly the overload the step must reveal.
    // One iteration of slack: the last one due inside the step may finish just after it (at 4/s over 3 s
    // that single iteration is 8 %). Overload shows as a deficit that grows with every second of the step.
    achievedRate: Math.min(
      peakRate(run.schedule),
      (r.timeline.filter((p) => p.t < r.durationS).reduce((n, p) => n + p.achievedRate, 0) + 1) / Math.max(r.durationS, 1),
    ),
    p95Ms: Math.max(r.endpoints.reserveFunds.p95Ms, r.endpoints.transactResult.p95Ms),
    errorRate: errorRateOf(r),
    declineRate: run.responses.declineRate,
  };
}

function errorRateOf(r: { endpoints: LoadReport['endpoints'] }): number {
  const requests = r.endpoints.reserveFunds.requests + r.endpoints.transactResult.requests;
  return requests === 0 ? 0 : (r.endpoints.reserveFunds.errors + r.endpoints.transactResult.errors) / requests;
}

/** The report with what the certificate says about its level: measured at, the declared peak, the code mix. */
function finish(report: LoadReport, o: LoadOptions, level: NonNullable<LoadReport['level']>, responses: ResponseCounter, t0EpochMs: number): LoadReport {
  return {
    ...report,
    level,
    expectedPeakRate: o.expectedPeakRate,
    ...(o.demo ? { demo: true } : {}),
    responses: responses.summary(t0EpochMs, report.timeline.length),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
