import { checksOfSuites, resolveLevels } from '../../checks/catalogue.ts';
import type { CheckDefinition } from '../../checks/define.ts';
import type { Observation } from '../../checks/events.ts';
import type { CheckId, Suite } from '../../checks/ids.ts';
import { baselineFindings } from '../../checks/judge/baseline.ts';
import { ledgerObservations } from '../../checks/judge/ledger.ts';
import { loadObservations } from '../../checks/judge/load.ts';
import { evaluate, partialVerdict, type JudgedCheck } from '../../checks/judge/verdict.ts';
import { summariseLedger, type LedgerRow, type SettledTally } from '../../checks/ledger.ts';
import type { LoadReport } from '../../checks/load-report.ts';
import { fixturesOf, type Plan } from '../../checks/plan.ts';
import { RESULT_SCHEMA_VERSION, type Evidence, type Result } from '../../checks/result.ts';
import { withSummary } from '../../reports/summary.ts';
import { resultDigest } from '../util/digest.ts';
import type { Scrubber } from '../util/scrub.ts';

/** Everything result.json holds but the summary lines and the digest. */
export type UnsignedResult = Omit<Result, 'digest' | 'checks' | 'schemaVersion'> & { checks: JudgedCheck[] };

/**
 * The certificate's last step, the same for a run and for a merged distributed run: each check gets its
 * summary line, secrets are scrubbed, and the digest covers exactly what is written.
 */
export function finishResult(unsigned: UnsignedResult, scrubber: Scrubber): Result {
  const worded: Omit<Result, 'digest'> = { schemaVersion: RESULT_SCHEMA_VERSION, ...unsigned, checks: unsigned.checks.map(withSummary) };
  const scrubbed = JSON.parse(scrubber.apply(JSON.stringify(worded))) as Omit<Result, 'digest'>;
  return { ...scrubbed, digest: resultDigest(scrubbed) };
}

/** What result.json says about a run besides its judgement: copied, never derived. */
export type RunFacts = Pick<
  Result,
  'bank' | 'target' | 'signing' | 'signingSecretEnv' | 'startedAt' | 'finishedAt' | 'runId' | 'harness' | 'configDigest' | 'checksChosen'
> & { suites: Suite[] };

/** The checks a run judges: those of its suites at their resolved level, only the chosen ones in a partial run (`certify --check`). */
export function judgedDefinitions(
  suites: readonly Suite[],
  thresholds: { minCapacity?: number | undefined },
  chosen: readonly CheckId[] | undefined,
): CheckDefinition[] {
  return resolveLevels(checksOfSuites(suites), { minCapacity: thresholds.minCapacity !== undefined }).filter((d) => !chosen || chosen.includes(d.id));
}

/** Everything a certificate is judged from: the records of a run and what the judges are given. */
export interface RunRecords {
  facts: RunFacts;
  /** The fixtures and signing of the plan: which checks apply. */
  plan: Pick<Plan, 'accounts' | 'signing'>;
  /** What the scenarios observed (k6, or verify's replay of the suites). */
  observations: readonly Observation[];
  ledger: readonly LedgerRow[];
  /** The load iterations the run settled and holds apart from `ledger` (LedgerFile); verify reads every row instead. */
  settled?: SettledTally | undefined;
  load?: LoadReport | undefined;
  judgedWith: Evidence['judgedWith'];
  /** --baseline: the earlier run as result.json names it. */
  baseline?: { runId: string; digest: string; finishedAt: string } | undefined;
  /** The evidence files' digests; absent, result.json records no evidence (a merged run). */
  files?: Evidence['files'] | undefined;
}

/**
 * observations → judges → verdict → result.json: the one path from a run's records to its certificate,
 * for `certify`, `report --merge` and `bankcert verify` (which compares what it gives with result.json).
 * `judged`: the observations the Node-side judges added for the checks it judges (the CLI prints them).
 */
export function certificate(r: RunRecords, scrubber: Scrubber): { result: Result; judged: Observation[] } {
  const w = r.judgedWith;
  const comparison =
    r.load && w.baseline && r.baseline ? baselineFindings(r.load, { runId: r.baseline.runId, load: w.baseline.load }, w.baseline.settings) : undefined;
  const { facts } = r;
  const definitions = judgedDefinitions(facts.suites, w.thresholds, facts.checksChosen);
  const ids = new Set(definitions.map((d) => d.id));
  const fromNode = [
    ...ledgerObservations(r.ledger, facts.suites, w.outDir, r.settled),
    ...(r.load ? loadObservations(r.load, w.thresholds) : []),
    ...(comparison?.observations ?? []),
  ];
  const evaluation = evaluate({
    definitions,
    observations: [...r.observations, ...fromNode],
    fixtures: fixturesOf(r.plan),
    signing: r.plan.signing.enabled,
    harnessProblems: w.harnessProblems,
  });
  const t = w.thresholds;
  const result = finishResult(
    {
      verdict: facts.checksChosen ? partialVerdict(evaluation.verdict) : evaluation.verdict,
      ...(facts.checksChosen ? { checksChosen: facts.checksChosen } : {}),
      inconclusiveReasons: evaluation.inconclusiveReasons,
      bank: facts.bank,
      target: facts.target,
      suites: facts.suites,
      signing: facts.signing,
      ...(facts.signingSecretEnv === undefined ? {} : { signingSecretEnv: facts.signingSecretEnv }),
      startedAt: facts.startedAt,
      finishedAt: facts.finishedAt,
      runId: facts.runId,
      checks: evaluation.checks,
      ledger: summariseLedger(r.ledger, r.settled),
      ...(r.load ? { load: r.load } : {}),
      ...(r.load
        ? {
            thresholds: {
              p95Ms: t.p95Ms,
              p99Ms: t.p99Ms,
              maxMs: t.maxMs,
              errorRate: t.errorRate,
              declineRate: t.declineRate,
              ...(t.minCapacity !== undefined ? { minCapacity: t.minCapacity } : {}),
            },
          }
        : {}),
      ...(comparison && r.baseline ? { baseline: { ...r.baseline, rows: comparison.rows } } : {}),
      harness: facts.harness,
      configDigest: facts.configDigest,
      ...(r.files ? { evidence: { files: r.files, judgedWith: w } } : {}),
    },
    scrubber,
  );
  return { result, judged: fromNode.filter((o) => ids.has(o.id)) };
}
