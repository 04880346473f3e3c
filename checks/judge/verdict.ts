import type { CheckDefinition } from '../define.ts';
import { CHECK_IDS, type CheckId, type FixtureName, type Status } from '../ids.ts';
import { FIXTURE_KEYS } from '../plan.ts';
import { cite, specRefLine } from '../sources.ts';
import type { Exchange, Observation } from '../events.ts';
import type { CheckResult, Verdict } from '../result.ts';

/** A check's row before reports/ words its summary line (reports/summary.ts). */
export type JudgedCheck = Omit<CheckResult, 'summary'>;

/** Evidence kept per check: enough to reproduce a failure, small enough for result.json and the report. */
export const MAX_EVIDENCE = 5;
export const NOT_OBSERVED = 'not observed: the scenario ended before this check ran';
export const SIGNING_OFF = 'signing is not enabled for this bank';

export interface EvaluateInput {
  /** The planned checks (usually checksOfSuites(plan.suites)); each gets exactly one result. */
  definitions: readonly CheckDefinition[];
  /** Everything the scenarios reported; observations of unplanned checks are ignored. */
  observations: readonly Observation[];
  signing: boolean;
  /** The fixtures the configuration provides (fixturesOf(plan)): a check missing one it needs is skipped. */
  fixtures: ReadonlySet<FixtureName>;
  /** Reasons the run itself is untrustworthy (k6 crashed, dropped iterations, ...). */
  harnessProblems: readonly string[];
}

export interface Evaluation {
  /** In catalogue order, with their summary line. */
  checks: JudgedCheck[];
  verdict: Verdict;
  /** Harness problems first, then checks that were never observed. Non-empty does not imply inconclusive: a MUST failure still wins. */
  inconclusiveReasons: string[];
}

// A failure outranks inconclusive: a MUST failure seen is a verdict even when another case could not be seen.
const SEVERITY: Record<Status, number> = { skip: 0, pass: 1, warn: 2, inconclusive: 3, fail: 4 };
const CATALOGUE_ORDER = new Map<CheckId, number>(CHECK_IDS.map((id, index) => [id, index]));

export function evaluate(input: EvaluateInput): Evaluation {
  const observed = groupById(input.observations);
  const inconclusiveReasons = [...input.harnessProblems];
  const checks = inCatalogueOrder(input.definitions).map((definition) => {
    const observations = observed.get(definition.id) ?? [];
    const missing = missingFixtures(definition, input.fixtures);
    const notApplicable = missing !== undefined || (definition.appliesWhen === 'signing' && !input.signing);
    if (!notApplicable && observations.length === 0) inconclusiveReasons.push(`${definition.id} ${NOT_OBSERVED}`);
    const result = judge(definition, notApplicable ? { status: 'skip', reason: missing ?? SIGNING_OFF } : combine(observations));
    if (observations.length > 0 && result.status === 'inconclusive' && result.level === 'MUST') {
      inconclusiveReasons.push(`${definition.id} is inconclusive: ${result.reason || result.observed || 'no reason recorded'}`);
    }
    return result;
  });
  return { checks, verdict: decide(checks, inconclusiveReasons), inconclusiveReasons };
}

export function exitCode(verdict: Verdict): 0 | 1 | 3 {
  switch (verdict) {
    case 'certified':
    case 'passed-partial':
      return 0;
    case 'not-certified':
    case 'failed-partial':
      return 1;
    case 'inconclusive':
      return 3;
  }
}

/**
 * A partial run (`certify --check`) judges the chosen checks exactly as a full run would, but its result
 * is never a certificate: certified and not-certified become passed-partial and failed-partial. A run
 * that could not see what it asserts stays inconclusive.
 */
export function partialVerdict(verdict: Verdict): Verdict {
  if (verdict === 'certified') return 'passed-partial';
  if (verdict === 'not-certified') return 'failed-partial';
  return verdict;
}

type Finding = Pick<Observation, 'status' | 'reason' | 'counts' | 'evidence' | 'measuredAt' | 'percentile'> &
  Partial<Pick<Observation, 'expected' | 'observed'>>;

function decide(checks: readonly JudgedCheck[], inconclusiveReasons: readonly string[]): Verdict {
  if (checks.some((c) => c.level === 'MUST' && c.status === 'fail')) return 'not-certified';
  return inconclusiveReasons.length > 0 ? 'inconclusive' : 'certified';
}

/**
 * Several scenarios (or several cases of one) may report the same check: the worst one speaks for it.
 * No verdict without evidence: a check nobody observed is inconclusive, never skipped or passed.
 */
function combine(observations: readonly Observation[]): Finding {
  if (observations.length === 0) return { status: 'inconclusive', reason: NOT_OBSERVED };
  // Worst first, so the evidence cap keeps the exchanges that explain the status.
  const ranked = [...observations].sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  const status = ranked[0]?.status ?? 'skip';
  const worst = ranked.filter((o) => o.status === status);
  const evidence: Exchange[] = ranked.flatMap((o) => o.evidence ?? []).slice(0, MAX_EVIDENCE);
  const counts = sumCounts(observations);
  const reason = distinct(worst.map((o) => o.reason));
  // Load checks: the level and the percentile judgement of the observation that measured them (a baseline
  // regression reported on the same check carries neither).
  const measuredAt = ranked.find((o) => o.measuredAt)?.measuredAt;
  const percentile = ranked.find((o) => o.percentile)?.percentile;
  return {
    status,
    expected: distinct(worst.map((o) => o.expected)),
    observed: distinct(worst.map((o) => o.observed)),
    ...(reason ? { reason } : {}),
    ...(counts ? { counts } : {}),
    ...(evidence.length > 0 ? { evidence } : {}),
    ...(measuredAt ? { measuredAt } : {}),
    ...(percentile ? { percentile } : {}),
  };
}

function judge(definition: CheckDefinition, finding: Finding): JudgedCheck {
  // SHOULD and INFO rules inform; only MUST rules can fail certification.
  const status = finding.status === 'fail' && definition.level !== 'MUST' ? 'warn' : finding.status;
  const facts = {
    status,
    expected: finding.expected ?? '',
    observed: finding.observed ?? '',
    ...(finding.reason ? { reason: finding.reason } : {}),
    ...(finding.counts ? { counts: finding.counts } : {}),
    ...(finding.measuredAt ? { measuredAt: finding.measuredAt } : {}),
    ...(finding.percentile ? { percentile: finding.percentile } : {}),
  };
  return {
    id: definition.id,
    title: definition.title,
    level: definition.level,
    suite: definition.suite,
    ...facts,
    specRef: specRefLine(definition.sources),
    sources: cite(definition.sources),
    remediation: definition.remediation,
    observedBy: definition.observedBy,
    ...(finding.evidence ? { evidence: finding.evidence } : {}),
  };
}

/** Why a check cannot apply to this configuration, from its `needs`; undefined when every need is met. */
export function missingFixtures(definition: Pick<CheckDefinition, 'needs'>, fixtures: ReadonlySet<FixtureName>): string | undefined {
  const unmet = definition.needs.filter((need) => (typeof need === 'string' ? !fixtures.has(need) : !need.some((n) => fixtures.has(n))));
  if (unmet.length === 0) return undefined;
  const words = unmet.map((need) => (typeof need === 'string' ? FIXTURE_KEYS[need] : need.map((n) => FIXTURE_KEYS[n]).join(' or ')));
  return `no ${words.join(', no ')} in the configuration`;
}

function groupById(observations: readonly Observation[]): Map<CheckId, Observation[]> {
  const byId = new Map<CheckId, Observation[]>();
  for (const o of observations) {
    const list = byId.get(o.id);
    if (list) list.push(o);
    else byId.set(o.id, [o]);
  }
  return byId;
}

/** The certificate prints rows in catalogue order whatever order the caller planned them in; a repeated definition counts once. */
function inCatalogueOrder(definitions: readonly CheckDefinition[]): CheckDefinition[] {
  const unique = new Map(definitions.map((d) => [d.id, d]));
  return [...unique.values()].sort((a, b) => (CATALOGUE_ORDER.get(a.id) ?? 0) - (CATALOGUE_ORDER.get(b.id) ?? 0));
}

function sumCounts(observations: readonly Observation[]): Record<string, number> | undefined {
  const total: Record<string, number> = {};
  let any = false;
  for (const o of observations) {
    for (const [name, value] of Object.entries(o.counts ?? {})) {
      total[name] = (total[name] ?? 0) + value;
      any = true;
    }
  }
  return any ? total : undefined;
}

/** Distinct non-empty phrases joined, so two cases that failed differently both show. */
function distinct(phrases: readonly (string | undefined)[]): string {
  return [...new Set(phrases.filter((p): p is string => Boolean(p)))].join('; ');
}
