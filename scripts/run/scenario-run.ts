import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Suite } from '../../checks/ids.ts';
import type { IterationRecord, LoadEndEvent } from '../../checks/load-records.ts';
import type { Observation } from '../../checks/events.ts';
import { STARTED_METRIC } from '../../checks/load-driver.ts';
import { PLAN_ENV, SECRETS_ENV, SUMMARY_ENV, type BankcertSecrets, type Plan } from '../../checks/plan.ts';
import { cannotRun } from '../util/errors.ts';
import type { TlsFiles } from '../util/http.ts';
import type { K6 } from '../k6/toolchain.ts';
import type { LedgerFile } from '../ledger/ledger.ts';
import { EventLedger } from './event-ledger.ts';
import { scenarioBundle } from '../util/paths.ts';
import { observationLine, type Ui } from '../util/terminal.ts';
import type { RecordLine } from './exchange-log.ts';
import type { LoadRunRecord } from './load-run.ts';
import type { Interrupts } from './interrupts.ts';
import { startK6, type K6Run } from './k6-process.ts';

/** What every k6 run of a certification feeds. */
export interface Sink {
  observations: Observation[];
  ledger: LedgerFile;
  k6Log: string[];
  /** Reasons the run cannot be trusted; any makes the verdict inconclusive unless a MUST check failed. */
  problems: string[];
  /** Set at the first Ctrl-C or SIGTERM: no further suite or step starts; cleanup still runs. */
  interrupted: boolean;
  /** The run's signal handling; a running k6 is stopped through it. */
  interrupts: Interrupts;
  /** Where the functional suites' exchanges and clock reads go (DIR/exchanges.ndjson.gz). */
  exchanges?: { add(line: RecordLine): void };
  /** Every load run whose samples made figures, for DIR/load-runs.json. */
  loadRuns?: LoadRunRecord[];
}

export interface RunContext {
  k6: K6;
  plan: Plan;
  planFile: string;
  secrets: BankcertSecrets;
  outDir: string;
  tls: TlsFiles | undefined;
  ui: Ui;
  /** `certify --k6-out`: outputs and tags for every k6 run (scripts/run/k6-outputs.ts); the suite is tagged here. */
  k6Args?: readonly string[];
}

export interface ScenarioExtras {
  /** Names this run in messages and file names ("load step 3"); default: the suite. */
  label?: string;
  env?: Record<string, string>;
  args?: readonly string[];
  /** Called every few seconds while k6 runs, for progress lines: seconds since the test itself started, or undefined while k6 still initialises its VUs. */
  onTick?: (elapsedS: number | undefined) => void;
  /** Called once k6 has started, with its process id. */
  onStart?: (pid: number | undefined) => void;
  /** Called at the scenario's first event: k6 has compiled the script and the test itself is running. */
  onFirstEvent?: () => void;
  /** Called with each batch of load records (after the ledger has them) and its line: the figures are built from them. */
  onRecords?: (records: IterationRecord[], json: string) => void;
  /** Called with k6's end-of-test counts (iterations begun and dropped) of the load suite. */
  onEnd?: (event: LoadEndEvent) => void;
}

/** Runs one scenario bundle in k6 and collects what it reports. Ctrl-C stops k6 gracefully (a second kills it); cleanup still runs. */
export async function runScenario(suite: Suite, ctx: RunContext, sink: Sink, extras: ScenarioExtras = {}): Promise<void> {
  const bundle = scenarioBundle(suite);
  if (!existsSync(bundle)) throw cannotRun(`the ${suite} scenario is not built (${bundle} is missing)`, ['Run `npm run build` first.']);
  const label = extras.label ?? suite;
  // A signal between two k6 runs (capacity steps, instances): the next one does not start.
  if (sink.interrupted) return;
  if (!extras.label) ctx.ui.info(`suite ${suite}:`);
  const env: Record<string, string> = {
    [PLAN_ENV]: ctx.planFile,
    [SECRETS_ENV]: JSON.stringify(ctx.secrets),
    [SUMMARY_ENV]: join(ctx.outDir, `k6-summary-${label.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}.json`),
    ...extras.env,
  };
  // A summary left by an earlier run in this folder must not stand in for this run's (see startedIterations).
  if (env[SUMMARY_ENV]) rmSync(env[SUMMARY_ENV], { force: true });
  // k6 honours SSL_CERT_FILE for a custom CA (design.md, k6 facts).
  if (ctx.tls?.caFile) env.SSL_CERT_FILE = resolve(ctx.tls.caFile);
  let lastError = '';
  let seenEvent = false;
  // Ledger events (the load suite's: batches of records) become ledger rows here; see scripts/run/event-ledger.ts.
  const ledger = new EventLedger(ctx.plan, sink.ledger);
  let testStarted: number | undefined;
  const run: K6Run = startK6({
    k6: ctx.k6,
    bundle,
    env,
    args: [...(ctx.k6Args && ctx.k6Args.length > 0 ? [...ctx.k6Args, '--tag', `suite=${suite}`] : []), ...(extras.args ?? [])],
    onEvent(event, json) {
      if (!seenEvent) {
        seenEvent = true;
        testStarted = Date.now();
        extras.onFirstEvent?.();
      }
      if (event.t === 'x' || event.t === 'now') {
        sink.exchanges?.add(event);
        return;
      }
      if (event.t === 'obs') {
        sink.observations.push(event.obs);
        ctx.ui.info(observationLine(event.obs));
        return;
      }
      if (event.t === 'end') {
        extras.onEnd?.(event);
        return;
      }
      const records = ledger.take(event);
      if (records === undefined) {
        if (event.t === 'step' && ctx.ui.verbose) ctx.ui.info(`    · ${event.step}`);
      } else if (records.length > 0) {
        extras.onRecords?.(records, json);
      }
    },
    onLog(line) {
      sink.k6Log.push(`${line.level}: ${line.msg}`);
      if (line.level === 'error' || line.level === 'fatal') {
        lastError = line.msg;
        ctx.ui.warn(`  k6 ${line.level}: ${line.msg}`);
      }
    },
  });
  extras.onStart?.(run.pid);
  const ticker = extras.onTick
    ? setInterval(() => extras.onTick?.(testStarted === undefined ? undefined : (Date.now() - testStarted) / 1000), 5_000)
    : undefined;
  // The first signal stops k6 gracefully (it still writes its summary); a second kills it.
  const stopOnSignal = sink.interrupts.on(() => run.interrupt());
  try {
    await run.done;
  } finally {
    if (ticker) clearInterval(ticker);
    stopOnSignal();
  }
  ledger.finish(startedIterations(env[SUMMARY_ENV]));
  // 0: done; 99: a threshold failed, which the verdict judges from the observations.
  if (sink.interrupted) sink.problems.push(`the ${label} run was interrupted`);
  else if (run.exitCode !== 0 && run.exitCode !== 99) {
    sink.problems.push(
      `k6 ended the ${label} run with ${run.signal ? `signal ${run.signal}` : `exit code ${run.exitCode}`}${lastError ? `: ${lastError}` : ''}`,
    );
  }
}

/** The iterations k6 started, from its summary; undefined without one (k6 killed before writing it). */
function startedIterations(summaryFile: string | undefined): number | undefined {
  if (!summaryFile || !existsSync(summaryFile)) return undefined;
  try {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { metrics?: Record<string, { values?: { count?: number } }> };
    return summary.metrics?.[STARTED_METRIC]?.values?.count ?? 0;
  } catch {
    return undefined;
  }
}
