import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AVAILABLE_SUITES, checksOfSuites, resolveLevels } from '../../checks/catalogue.ts';
import type { Suite } from '../../checks/ids.ts';
import type { Observation } from '../../checks/observation.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import type { Result } from '../../checks/result.ts';
import { cleanup } from '../ledger/cleanup.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import { buildPlan, configDigest, secretValues } from '../config/plan.ts';
import type { Config } from '../config/schema.ts';
import { resultDigest } from '../util/digest.ts';
import { cannotRun, usageError } from '../util/errors.ts';
import { describeNetworkError, send, tlsOf } from '../util/http.ts';
import { ensureK6 } from '../k6/toolchain.ts';
import { ledgerObservations } from '../judge/ledger-checks.ts';
import { LedgerFile, ledgerPath, openReservations, summariseLedger } from '../ledger/ledger.ts';
import { harnessVersion } from '../util/paths.ts';
import { writeOutputs } from './outputs.ts';
import { baselineFindings, readBaseline } from '../judge/baseline-checks.ts';
import { loadOptions, runLoad } from './load-run.ts';
import { runScenario, type Sink } from './scenario-run.ts';
import { loadObservations } from '../judge/load-checks.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import { observationLine, type Ui } from '../util/terminal.ts';
import { evaluate, exitCode } from '../judge/verdict.ts';

export interface CertifyOptions {
  configPath: string;
  /** Overrides load.profile of the config. */
  profile?: string | undefined;
  /** k6 processes for the load suite (execution segments). */
  instances?: number | undefined;
  /** An earlier run's folder to compare load figures with (nightly regressions). */
  baselineDir?: string | undefined;
  /** `bankcert demo`: the certificate says its load was a demonstration, not a production peak. */
  demo?: boolean;
  /** --k6-raw-samples: k6 also writes its raw samples for the load suite (LoadOptions.k6RawSamples). */
  k6RawSamples?: boolean;
  outDir: string;
  suites: readonly string[];
  env: NodeJS.ProcessEnv;
  ui: Ui;
}

export function parseSuites(requested: readonly string[]): Suite[] {
  const suites = [...new Set(requested.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))];
  // Default: every suite that exists, so a certificate covers every rule bankcert can assert.
  if (suites.length === 0) return [...AVAILABLE_SUITES];
  for (const s of suites) {
    if (!(AVAILABLE_SUITES as readonly string[]).includes(s)) {
      throw usageError(`--suite ${s}: unknown or not yet available suite`, [`Available suites: ${AVAILABLE_SUITES.join(', ')}.`]);
    }
  }
  return suites as Suite[];
}

/** One request before k6 starts, so an unreachable bank is one clear line (exit 3), not a page of k6 errors. */
async function preflight(config: Config, plan: Plan): Promise<void> {
  const url = config.target.baseUrl;
  try {
    await send('GET', url, { tls: tlsOf(plan), timeoutMs: 5_000 });
  } catch (err) {
    const reason = describeNetworkError(err);
    const hint = reason.startsWith('TLS:')
      ? "Check target.tls: caFile must be the CA that signed the bank's certificate; certFile and keyFile are needed when the bank asks for a client certificate."
      : 'Check target.baseUrl in the config and that the bank (or a tunnel to it) is running.';
    throw cannotRun(`cannot reach the bank at ${url}: ${reason}`, [hint], err);
  }
}

export async function certify(options: CertifyOptions): Promise<{ result: Result; exitCode: number }> {
  const { ui } = options;
  const suites = parseSuites(options.suites);
  let config: Config;
  try {
    config = loadConfig(options.configPath);
  } catch (err) {
    if (err instanceof ConfigError) throw usageError(err.message, err.problems, err);
    throw err;
  }
  // Read before anything runs: a wrong --baseline or load choice is a usage error, not a surprise after traffic.
  const baselineRun = options.baselineDir ? readBaseline(options.baselineDir) : undefined;
  const loadRun = suites.includes('load') ? { ...loadOptions(config, options.profile, options.instances ?? 1), demo: options.demo === true, k6RawSamples: options.k6RawSamples === true } : undefined;
  const runId = randomBytes(4).toString('hex');
  let built: { plan: Plan; secrets: BankcertSecrets };
  try {
    built = buildPlan(config, { suites, runId, env: options.env });
  } catch (err) {
    if (err instanceof ConfigError) throw usageError(err.message, err.problems, err);
    throw err;
  }
  const { plan, secrets } = built;
  ui.scrubber.add(secretValues(secrets));

  ui.info(`bankcert ${harnessVersion()}: certifying "${config.bank}" at ${config.target.baseUrl} (suites: ${suites.join(', ')}; signing ${plan.signing.enabled ? 'on' : 'off'})`);
  const k6 = await ensureK6((line) => ui.info(`  ${line}`));
  ui.info(`  k6 ${k6.version} (${k6.source}: ${k6.path})`);
  await preflight(config, plan);

  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const planFile = join(outDir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);

  const startedAt = new Date().toISOString();
  // Appended as it happens, so `bankcert reconcile` can finish the reservations even if this process dies.
  const ledger = new LedgerFile(ledgerPath(outDir));
  const sink: Sink = { observations: [], ledger, k6Log: [], problems: [], interrupted: false };
  let load: LoadReport | undefined;
  for (const suite of suites) {
    const run = { k6, plan, planFile, secrets, outDir, tls: tlsOf(plan), ui };
    if (suite === 'load' && loadRun) load = await runLoad(run, sink, loadRun);
    else await runScenario(suite, run, sink);
    if (sink.interrupted) break;
  }

  const open = openReservations(ledger.rows);
  if (open.length > 0) {
    ui.info(`cleanup: finishing ${open.length} open reservation(s) with a failure transactResult`);
    ledger.add(...(await cleanup(open, { plan, secrets, tls: tlsOf(plan), log: (l) => ui.warn(`  ${l}`) })));
  }
  await ledger.close();
  const money = summariseLedger(ledger.rows);
  if (money.open > 0) {
    sink.problems.push(`${money.open} reservation(s) are still held at the bank: run \`bankcert reconcile ${options.outDir}\` once it answers`);
  }

  const comparison = load && baselineRun ? baselineFindings(load, baselineRun, config) : undefined;
  const fromLedger = [...ledgerObservations(ledger.rows, suites), ...(load ? loadObservations(load, config.thresholds) : []), ...(comparison?.observations ?? [])];
  for (const obs of fromLedger) ui.info(observationLine(obs));
  const observations = [...sink.observations, ...fromLedger];
  const definitions = resolveLevels(checksOfSuites(suites), { minCapacity: config.thresholds.minCapacity !== undefined });
  const evaluation = evaluate({ definitions, observations, signing: plan.signing.enabled, harnessProblems: sink.problems });
  const unsigned: Omit<Result, 'digest'> = {
    verdict: evaluation.verdict,
    inconclusiveReasons: evaluation.inconclusiveReasons,
    bank: config.bank,
    target: { reserveFundsUrl: plan.target.reserveFundsUrl, transactResultUrl: plan.target.transactResultUrl },
    suites,
    signing: plan.signing.enabled,
    startedAt,
    finishedAt: new Date().toISOString(),
    runId,
    checks: evaluation.checks,
    ledger: money,
    ...(load ? { load } : {}),
    ...(comparison && baselineRun ? { baseline: { runId: baselineRun.runId, digest: baselineRun.digest, finishedAt: baselineRun.finishedAt, rows: comparison.rows } } : {}),
    harness: { version: harnessVersion(), k6Version: k6.version },
    configDigest: configDigest(config),
  };
  // Scrubbed before the digest, so the digest covers exactly what is written.
  const scrubbed = JSON.parse(ui.scrubber.apply(JSON.stringify(unsigned))) as Omit<Result, 'digest'>;
  const result: Result = { ...scrubbed, digest: resultDigest(scrubbed) };
  writeOutputs(outDir, result, { ledger: ledger.rows, k6Log: sink.k6Log, scrubber: ui.scrubber });
  return { result, exitCode: exitCode(result.verdict) };
}
