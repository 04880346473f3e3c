import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadReport } from '../../checks/load-report.ts';
import type { Result } from '../../checks/result.ts';
import { configDigest, secretValues } from '../config/plan.ts';
import { exitCode } from '../../checks/judge/verdict.ts';
import { ensureK6 } from '../k6/toolchain.ts';
import { cleanup, type CleanupOutcome } from '../ledger/cleanup.ts';
import { LedgerFile, ledgerPath } from '../ledger/ledger.ts';
import { openReservations, summariseLedger } from '../../checks/ledger.ts';
import { evidenceDigests } from './evidence-files.ts';
import { ExchangeLog, exchangesPath } from './exchange-log.ts';
import { certificate, judgedDefinitions } from './result.ts';
import { cannotRun, InternalError, UserError } from '../util/errors.ts';
import { describeNetworkError, send, tlsOf } from '../util/http.ts';
import { stillHeldLine } from '../util/cli-options.ts';
import { harnessVersion } from '../util/paths.ts';
import { observationLine, type Ui } from '../util/terminal.ts';
import { prepareCertification, type CertifyOptions, type Prepared } from './certify-options.ts';
import { Interrupts } from './interrupts.ts';
import { LOAD_RUNS_FILE, runLoad, type LoadRunsFile } from './load-run.ts';
import { clearOutputs, writeLeftovers, writeOutputs } from './outputs.ts';
import { runScenario, type RunContext, type Sink } from './scenario-run.ts';

export type { CertifyOptions } from './certify-options.ts';

/** One request before k6 starts, so an unreachable bank is one clear line (exit 3), not a page of k6 errors. */
async function preflight(p: Prepared): Promise<void> {
  const url = p.config.target.baseUrl;
  try {
    await send('GET', url, { tls: tlsOf(p.plan), timeoutMs: 5_000 });
  } catch (err) {
    const reason = describeNetworkError(err);
    const hint = reason.startsWith('TLS:')
      ? "Check target.tls: caFile must be the CA that signed the bank's certificate; certFile and keyFile are needed when the bank asks for a client certificate."
      : 'Check target.baseUrl in the config and that the bank (or a tunnel to it) is running.';
    throw cannotRun(`cannot reach the bank at ${url}: ${reason}`, [hint], err);
  }
}

/**
 * Test-only: BANKCERT_TEST_THROW=after:<suite> throws an ordinary (unexpected) error once that suite
 * has run, so end-to-end tests can prove that cleanup still runs and that the exit code is 3. Inert
 * unless set to exactly that form; nothing else reads it.
 */
function testHook(env: NodeJS.ProcessEnv, suite: string): void {
  if (env.BANKCERT_TEST_THROW === `after:${suite}`) throw new Error(`test hook BANKCERT_TEST_THROW: thrown after the ${suite} suite`);
}

/**
 * A certification in three stages: check everything the user gave (no I/O beyond reading files, exit 2
 * on any problem), reach the bank once (exit 3 if it cannot be reached), then run the suites. From the
 * first suite on, whatever ends the run (the last suite, a signal, k6 crashing, an exception) ends it
 * through the cleanup, with the ledger closed.
 */
export async function certify(options: CertifyOptions): Promise<{ result: Result; exitCode: number }> {
  const { ui } = options;
  const p = prepareCertification(options);
  ui.scrubber.add(secretValues(p.secrets));
  ui.scrubber.add(p.k6Outputs.secrets);

  const what = p.selection ? `checks: ${p.selection.checks.join(', ')}, a partial run: not a certificate` : `suites: ${p.suites.join(', ')}`;
  ui.info(
    `bankcert ${harnessVersion()}: ${p.selection ? 'running chosen checks of' : 'certifying'} "${p.config.bank}" at ${p.config.target.baseUrl} (${what}; signing ${p.plan.signing.enabled ? 'on' : 'off'})`,
  );
  if (p.k6Outputs.shown.length > 0) ui.info(`  k6 outputs: ${p.k6Outputs.shown.join(', ')}; every metric tagged run_id=${p.runId}, bank, suite`);
  const k6 = await ensureK6((line) => ui.info(`  ${line}`));
  ui.info(`  k6 ${k6.version} (${k6.source}: ${k6.path})`);
  await preflight(p);

  mkdirSync(p.outDir, { recursive: true });
  // A result, report or JUnit file left by an earlier run in this folder must never stand in for this one's.
  clearOutputs(p.outDir);
  const planFile = join(p.outDir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(p.plan, null, 2)}\n`);

  const startedAt = new Date().toISOString();
  // Appended as it happens, so `bankcert reconcile` can finish the reservations even if this process dies.
  // RF-REF-UNIQUE (judged with the safety suite) is the one judge that needs every granted reference.
  const ledger = new LedgerFile(ledgerPath(p.outDir), [], p.suites.includes('safety'));
  const interrupts = new Interrupts();
  // Every exchange of the functional suites, for `bankcert verify`, `bankcert replay` and spot-checks.
  const exchanges = p.suites.some((suite) => suite !== 'load') ? new ExchangeLog(exchangesPath(p.outDir), ui.scrubber) : undefined;
  const sink: Sink = { observations: [], ledger, k6Log: [], problems: [], interrupted: false, interrupts, loadRuns: [], ...(exchanges ? { exchanges } : {}) };
  let cleaning = false;
  let stopCleanup = false;
  interrupts.on((count) => {
    if (cleaning) {
      stopCleanup = true;
      ui.warn(`interrupted during cleanup: stopping; \`bankcert reconcile ${p.outDirShown}\` finishes what is left`);
    } else if (count === 1) {
      sink.interrupted = true;
      ui.warn('interrupted: stopping k6, then releasing every reservation the harness holds (Ctrl-C again to kill k6)');
    }
  });
  interrupts.listen();

  let load: LoadReport | undefined;
  let failure: { error: unknown } | undefined;
  let cleaned: CleanupOutcome;
  try {
    try {
      load = await runSuites(
        p,
        { k6, plan: p.plan, planFile, secrets: p.secrets, outDir: p.outDir, tls: tlsOf(p.plan), ui, k6Args: p.k6Outputs.args },
        sink,
        options.env,
      );
    } catch (error) {
      failure = { error };
    }
    cleaning = true;
    try {
      cleaned = await finishOpenReservations(p, ledger, ui, () => stopCleanup);
    } catch (error) {
      failure ??= { error };
      cleaned = { open: openReservations(ledger.rows).length, gaveUp: 'the cleanup failed' };
    }
  } finally {
    interrupts.close();
    await ledger.close();
    await exchanges?.close();
  }
  if (failure) {
    // No certificate from a run that broke, but what a person needs to follow up: the ledger and k6's log.
    await writeLeftovers(p.outDir, { k6Log: sink.k6Log, scrubber: ui.scrubber });
    throw withStillHeld(failure.error, cleaned, p.outDirShown);
  }

  // A signal between two suites interrupts no k6 run, but the run still did not do all it planned.
  if (sink.interrupted && !sink.problems.some((problem) => problem.includes('interrupted'))) sink.problems.push('the run was interrupted (Ctrl-C or SIGTERM)');
  const money = summariseLedger(ledger.rows, ledger.settled);
  // When SF-CLEANUP is judged it speaks for open reservations; otherwise they still make the run inconclusive.
  if (money.open > 0 && !judgedDefinitions(p.suites, p.config.thresholds, p.selection?.checks).some((d) => d.id === 'SF-CLEANUP'))
    sink.problems.push(`${cleaned.gaveUp ? `cleanup gave up: ${cleaned.gaveUp}; ` : ''}${stillHeldLine(money.open, p.outDirShown)}`);

  if (sink.loadRuns && p.load)
    writeFileSync(join(p.outDir, LOAD_RUNS_FILE), `${JSON.stringify({ options: p.load, runs: sink.loadRuns } satisfies LoadRunsFile, null, 2)}\n`);
  const { result, judged } = certificate(
    {
      facts: {
        bank: p.config.bank,
        target: { reserveFundsUrl: p.plan.target.reserveFundsUrl, transactResultUrl: p.plan.target.transactResultUrl },
        suites: p.suites,
        signing: p.plan.signing.enabled,
        ...(p.plan.signing.enabled ? { signingSecretEnv: p.plan.signing.secretEnv } : {}),
        startedAt,
        finishedAt: new Date().toISOString(),
        runId: p.runId,
        harness: { version: harnessVersion(), k6Version: k6.version },
        configDigest: configDigest(p.config),
        ...(p.selection ? { checksChosen: p.selection.checks } : {}),
      },
      plan: p.plan,
      observations: sink.observations,
      ledger: ledger.rows,
      settled: ledger.settled,
      load,
      judgedWith: {
        outDir: p.outDirShown,
        thresholds: p.config.thresholds,
        harnessProblems: sink.problems,
        ...(p.baseline?.load
          ? {
              baseline: {
                settings: p.config.baseline,
                load: { endpoints: p.baseline.load.endpoints, ...(p.baseline.load.capacity ? { capacity: p.baseline.load.capacity } : {}) },
              },
            }
          : {}),
      },
      ...(p.baseline ? { baseline: { runId: p.baseline.runId, digest: p.baseline.digest, finishedAt: p.baseline.finishedAt } } : {}),
      files: await evidenceDigests(p.outDir),
    },
    ui.scrubber,
  );
  for (const obs of judged) ui.info(observationLine(obs));
  await writeOutputs(p.outDir, result, { k6Log: sink.k6Log, scrubber: ui.scrubber });
  return { result, exitCode: exitCode(result.verdict) };
}

async function runSuites(p: Prepared, run: RunContext, sink: Sink, env: NodeJS.ProcessEnv): Promise<LoadReport | undefined> {
  let load: LoadReport | undefined;
  for (const suite of p.suites) {
    if (sink.interrupted) break;
    if (suite === 'load' && p.load) load = await runLoad(run, sink, p.load);
    else await runScenario(suite, run, sink);
    testHook(env, suite);
  }
  return load;
}

async function finishOpenReservations(p: Prepared, ledger: LedgerFile, ui: Ui, stop: () => boolean): Promise<CleanupOutcome> {
  const open = openReservations(ledger.rows);
  if (open.length === 0) return { open: 0 };
  ui.info(`cleanup: finishing ${open.length} open reservation(s) with a failure transactResult`);
  const outcome = await cleanup(open, {
    plan: p.plan,
    secrets: p.secrets,
    tls: tlsOf(p.plan),
    record: (row) => ledger.add(row),
    log: (l) => ui.warn(`  ${l}`),
    stop,
  });
  if (outcome.gaveUp) ui.warn(`cleanup: ${outcome.gaveUp}: ${stillHeldLine(outcome.open, p.outDirShown)}`);
  return outcome;
}

/** The error that ended the run, with the reservations it left behind as its last hint line. */
function withStillHeld(error: unknown, cleaned: CleanupOutcome, outDir: string): unknown {
  if (cleaned.open === 0) return error;
  const note = `${cleaned.gaveUp ? `cleanup did not finish (${cleaned.gaveUp}): ` : ''}${stillHeldLine(cleaned.open, outDir)}`;
  if (error instanceof UserError) return new UserError(error.message, error.exitCode, [...error.hint, note], { cause: error });
  return new InternalError(error, [note]);
}
