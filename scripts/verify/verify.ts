import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry, Observation } from '../../checks/events.ts';
import type { LedgerRow } from '../../checks/ledger.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import type { Result } from '../../checks/result.ts';
import { processPrefixOf } from '../../checks/suites/context.ts';
import { exchangesPath, readExchanges, type RecordLine } from '../run/exchange-log.ts';
import { readPlanFile } from '../run/plan-file.ts';
import { certificate } from '../run/result.ts';
import { EXIT_NOT_VALID } from '../util/cli-options.ts';
import { resultDigest } from '../util/digest.ts';
import { cannotRun } from '../util/errors.ts';
import { harnessVersion } from '../util/paths.ts';
import { readResultFile } from '../util/result-file.ts';
import { Scrubber } from '../util/scrub.ts';
import { compareResults, type Mismatch } from './compare.ts';
import { checkEvidenceFiles } from './evidence.ts';
import { rederiveLoad } from './load.ts';
import { matchesRedacted, sameRedacted } from './redacted-match.ts';
import { isFunctional, replaySuite, type SuiteReplay } from './replay-suites.ts';

export interface Verification {
  result: Result;
  /** The functional suites' records (exchanges and clock reads), for a spot-check. */
  lines: RecordLine[];
  /** Everything that does not match, one line each. */
  problems: string[];
  exitCode: 0 | typeof EXIT_NOT_VALID;
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
};

function mismatchLine(m: Mismatch): string {
  return `${m.path}: result.json says ${show(m.recorded)}, the records give ${show(m.derived)}`;
}

/** Printed lines of one kind of problem, at most `max`, then how many more. */
function bounded(lines: readonly string[], max = 25): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

/**
 * `bankcert verify DIR`: is result.json what this run's records give? In order: result.json parses and its
 * digest matches; every file it rests on matches its recorded SHA-256; it was made by this bankcert; then
 * the run's own code runs again over the records only (the functional suites against the recorded answers
 * and clock, the ledger and load judges on the ledger and samples, the verdict on all of it) and every check,
 * count, figure and the verdict are compared with result.json. Prints each mismatch; sends nothing anywhere.
 */
export async function verifyRun(dir: string, print: (line: string) => void): Promise<Verification> {
  const started = Date.now();
  const result = readResultFile(dir, `verify ${dir}`);
  const problems: string[] = [];
  const ok = (line: string) => print(`  ✓ ${line}`);
  const bad = (lines: readonly string[]) => {
    for (const line of bounded(lines)) print(`  ✗ ${line}`);
    problems.push(...lines);
  };
  print(`verify ${dir}: run ${result.runId} of "${result.bank}", verdict ${result.verdict}, made by bankcert ${result.harness.version}`);

  const { digest, ...unsigned } = result;
  if (resultDigest(unsigned) === digest) ok('result.json matches its digest');
  else bad(['result.json was changed after the run: its digest does not match its content']);

  const evidence = result.evidence;
  if (!evidence) {
    throw cannotRun(`${dir}/result.json records no evidence files, so nothing can be re-derived`, [
      'It was written by a bankcert without `verify` (or by `report --merge`): certify the bank again with this bankcert to get a certificate that can be verified.',
    ]);
  }
  const files = await checkEvidenceFiles(dir, evidence.files);
  if (files.problems.length === 0) ok(`${Object.keys(evidence.files).length} record files match the SHA-256 result.json records for them`);
  else bad(files.problems);
  for (const note of files.notes) print(`  · ${note}`);

  if (result.harness.version !== harnessVersion()) {
    throw cannotRun(
      `verify needs bankcert ${result.harness.version} (this is bankcert ${harnessVersion()}): the certificate is re-derived with the code that made it`,
    );
  }

  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile)) throw cannotRun(`${dir}/plan.json is missing: the run's plan is needed to replay its suites`);
  const plan = readPlanFile(planFile);
  const lines: RecordLine[] = existsSync(exchangesPath(dir)) ? readExchanges(exchangesPath(dir)) : [];

  const observations: Observation[] = [];
  for (const suite of result.suites.filter(isFunctional)) {
    const replay = replaySuite(plan, suite, lines);
    observations.push(...replay.observations);
    const ledgerProblem = compareLedger(replay, files.ledger, plan.runId);
    const issues = [...(replay.divergence ? [`${suite}: ${replay.divergence}`] : []), ...(ledgerProblem ? [`${suite}: ${ledgerProblem}`] : [])];
    if (issues.length > 0) bad(issues);
    else
      ok(
        `${suite}: ${replay.exchanges} exchanges replayed through the suite's own code, its ${replay.ledger.length} ledger rows as recorded${replay.endedEarly ? ' (the records end where the run was interrupted)' : ''}`,
      );
    if (replay.shortened.length > 0)
      print(
        `  · ${suite}: ${replay.shortened.length} answer(s) over the recorded size were kept shortened (exchanges ${replay.shortened.join(', ')}): what the suite read of them is re-derived from their first characters`,
      );
  }

  let load: LoadReport | undefined;
  if (result.suites.includes('load')) {
    load = await rederiveLoad(dir, plan);
    if (!load && result.load) bad(['the load figures cannot be re-derived: load-runs.json is missing']);
    else if (load) ok("load figures re-derived from the load runs' records");
  }

  const { result: derived } = certificate(
    {
      facts: { ...result },
      plan,
      observations,
      ledger: files.ledger,
      load,
      judgedWith: evidence.judgedWith,
      ...(result.baseline ? { baseline: { runId: result.baseline.runId, digest: result.baseline.digest, finishedAt: result.baseline.finishedAt } } : {}),
      files: evidence.files,
    },
    new Scrubber(),
  );
  const mismatches = compareResults(result, derived);
  if (mismatches.length === 0)
    ok(`${result.checks.length} checks, the ledger summary${result.load ? ', the load figures' : ''} and the verdict are what the records give`);
  else bad(mismatches.map(mismatchLine));

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length === 0) {
    print(`verified in ${seconds} s: result.json is what this run's records give, re-derived with the code that made it`);
    return { result, lines, problems, exitCode: 0 };
  }
  print(`NOT VALID: ${problems.length} difference(s) between result.json and the run's records (${seconds} s)`);
  return { result, lines, problems, exitCode: EXIT_NOT_VALID };
}

/** The suite's ledger rows as the replay writes them against the recorded ones ('at' included: the clock is replayed). */
function compareLedger(replay: SuiteReplay, rows: readonly LedgerRow[], runId: string): string | undefined {
  const prefix = processPrefixOf(runId, replay.suite, '');
  const recorded = rows.filter((r) => r.by === 'scenario' && r.raasTxnRef.startsWith(prefix));
  const derived: LedgerEntry[] = replay.ledger;
  const n = Math.min(recorded.length, derived.length);
  for (let i = 0; i < n; i += 1) {
    const { by: _by, ...was } = recorded[i] as LedgerRow;
    const now = derived[i] as LedgerEntry;
    if (!sameRedacted(was, now)) {
      const field = (Object.keys(now) as (keyof LedgerEntry)[]).find(
        (k) => !sameRedacted(was[k], now[k]) && !(typeof was[k] === 'string' && matchesRedacted(String(was[k]), String(now[k]))),
      );
      return `ledger.ndjson row ${i + 1} of the suite (${now.kind} ${now.raasTxnRef}): ${field ?? 'a field'} is ${show(field ? was[field] : was)}, the suite's code writes ${show(field ? now[field] : now)}`;
    }
  }
  if (recorded.length !== derived.length) {
    const first = (recorded.length > derived.length ? recorded[n] : derived[n]) as LedgerEntry;
    return `ledger.ndjson has ${recorded.length} rows of the suite, its code writes ${derived.length} (first difference: ${first.kind} ${first.raasTxnRef})`;
  }
  return undefined;
}
