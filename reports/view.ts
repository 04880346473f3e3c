import { SUITES, type Status, type Suite } from '../checks/ids.ts';
import type { CheckResult, Result, Verdict } from '../checks/result.ts';
import { buildLoadView, loadProvenLine, type LoadView } from './load-view.ts';

// The shape every template renders: computed once here so the formats agree on counts, grouping and wording.

export interface StatusCounts extends Record<Status, number> {
  total: number;
}

export interface SuiteView {
  suite: Suite;
  checks: CheckResult[];
  counts: StatusCounts;
}

export interface ReportView {
  result: Result;
  verdict: VerdictWords;
  /** The verdict's name, or "not-valid" when result.json does not match its digest (class names, JUnit property). */
  verdictName: string;
  /** Set when result.json does not match its digest: the banner shown instead of the verdict. */
  notValid: string | null;
  /** What the curl commands under failing exchanges need: the run's references and the secret's variable (null: unsigned). */
  curl: { runId: string; secretEnv: string | null };
  /**
   * A partial run (`certify --check`): "partial run: not a certificate (checks run: …)", shown next to the
   * verdict in every format; null for a certification.
   */
  partial: string | null;
  /** The banner's "Load proven: …" line; null when the load suite did not run. */
  loadProven: string | null;
  counts: StatusCounts;
  suites: SuiteView[];
  failures: CheckResult[];
  warnings: CheckResult[];
  skipped: CheckResult[];
  /** Checks that could not see what they assert (a MUST among them makes the run inconclusive). */
  inconclusive: CheckResult[];
  /** Seconds between startedAt and finishedAt, or null when either is unreadable. */
  durationSeconds: number | null;
  /** Reservations still holding a buyer's money: the harness's own MUST (SF-CLEANUP). */
  ledgerOpen: boolean;
  /** The load suite's figures; null when it did not run (always present, so strict templates can test it). */
  load: LoadView | null;
  /** The nightly comparison (--baseline); null without one. */
  baseline: BaselineView | null;
}

export interface VerdictWords {
  label: string;
  meaning: string;
  /** For formats without colour (Markdown). */
  icon: string;
}

/** The words every format (and the terminal) uses for a run of chosen checks only. */
export const PARTIAL_RUN = 'partial run: not a certificate';

const VERDICTS: Record<Verdict, VerdictWords> = {
  certified: {
    label: 'CERTIFIED',
    icon: '✅',
    meaning:
      'Every MUST check that applies passed and the run observed every planned check. Warnings (SHOULD) and skipped checks are listed below; they do not affect the verdict.',
  },
  'not-certified': {
    label: 'NOT CERTIFIED',
    icon: '❌',
    meaning: 'At least one MUST check failed. Each failure below says what was expected, what the bank answered, and what to change.',
  },
  inconclusive: {
    label: 'INCONCLUSIVE',
    icon: '⚠️',
    meaning:
      'No MUST check failed, but the run could not observe everything it needed, so it neither certifies nor fails the bank. Resolve the reasons below and run again.',
  },
  'passed-partial': {
    label: 'PASSED (PARTIAL RUN)',
    icon: '☑️',
    meaning: `${capitalise(PARTIAL_RUN)}. Every chosen MUST check that applies passed; no other check ran. Run every suite (without --check) to certify.`,
  },
  'failed-partial': {
    label: 'FAILED (PARTIAL RUN)',
    icon: '❌',
    meaning: `${capitalise(PARTIAL_RUN)}. A chosen MUST check failed. Each failure below says what was expected, what the bank answered, and what to change; then run it again, and every suite to certify.`,
  },
};

/** What every format shows instead of the verdict when result.json does not match its digest. */
export const NOT_VALID_BANNER = 'NOT VALID: result.json was changed after the run';

const NOT_VALID_WORDS: VerdictWords = {
  label: NOT_VALID_BANNER,
  icon: '⛔',
  meaning:
    'Its digest does not match its content, so this is not a certificate and its verdict means nothing. Everything below is what the edited file says. Ask for the run folder as it was written, and check it with `bankcert verify`.',
};

/** How a report is rendered: `notValid` when the result does not match its digest (`bankcert report`). */
export interface RenderOptions {
  notValid?: boolean;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The partial-run line of a result, or null for a certification. */
export function partialLine(result: Pick<Result, 'checksChosen'>): string | null {
  return result.checksChosen ? `${PARTIAL_RUN} (checks run: ${result.checksChosen.join(', ')})` : null;
}

/** The words of a verdict, for every format (the terminal included). */
export function verdictWords(verdict: Verdict): VerdictWords {
  return VERDICTS[verdict];
}

export function buildView(result: Result, options: RenderOptions = {}): ReportView {
  const suites = SUITES.map((suite) => {
    const checks = result.checks.filter((c) => c.suite === suite);
    return { suite, checks, counts: countStatuses(checks) };
  }).filter((s) => s.checks.length > 0);
  const started = Date.parse(result.startedAt);
  const finished = Date.parse(result.finishedAt);
  return {
    result,
    verdict: options.notValid ? NOT_VALID_WORDS : VERDICTS[result.verdict],
    verdictName: options.notValid ? 'not-valid' : result.verdict,
    notValid: options.notValid ? NOT_VALID_BANNER : null,
    // Results written before the variable was recorded signed with the default one.
    curl: { runId: result.runId, secretEnv: result.signing ? (result.signingSecretEnv ?? 'BANKCERT_SIGNING_SECRET') : null },
    partial: partialLine(result),
    // The edited file's claims are not repeated in the banner.
    loadProven: options.notValid ? null : loadProvenLine(result),
    counts: countStatuses(result.checks),
    suites,
    failures: result.checks.filter((c) => c.status === 'fail'),
    warnings: result.checks.filter((c) => c.status === 'warn'),
    skipped: result.checks.filter((c) => c.status === 'skip'),
    inconclusive: result.checks.filter((c) => c.status === 'inconclusive'),
    durationSeconds: Number.isFinite(started) && Number.isFinite(finished) ? Math.max(0, (finished - started) / 1000) : null,
    ledgerOpen: result.ledger.open !== 0,
    load: buildLoadView(result.load),
    baseline: buildBaselineView(result),
  };
}

export function countStatuses(checks: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, warn: 0, skip: 0, inconclusive: 0, total: checks.length };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}

/** Applies `transform` to every string in a JSON-like value, leaving its shape alone. */
export function mapStrings<T>(value: T, transform: (text: string) => string): T {
  return walk(value, transform) as T;
}

function walk(value: unknown, transform: (text: string) => string): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, transform));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [transform(k), walk(v, transform)]));
  }
  return value;
}

export interface BaselineView {
  runId: string;
  finishedAt: string;
  rows: { metric: string; baseline: string; current: string; change: string; beyond: boolean }[];
}

const METRIC_WORDS: Record<string, string> = { p95Ms: 'p95', p99Ms: 'p99', errorRate: 'error rate', capacity: 'capacity' };

function buildBaselineView(result: Result): BaselineView | null {
  const b = result.baseline;
  if (!b) return null;
  const value = (metric: string, n: number) =>
    metric === 'errorRate' ? `${(n * 100).toFixed(2)} %` : metric === 'capacity' ? `${Math.round(n * 10) / 10}/s` : `${Math.round(n * 10) / 10} ms`;
  return {
    runId: b.runId,
    finishedAt: b.finishedAt,
    rows: b.rows.map((r) => ({
      metric: `${METRIC_WORDS[r.metric] ?? r.metric}${r.endpoint ? ` ${r.endpoint}` : ''}`,
      baseline: value(r.metric, r.baseline),
      current: value(r.metric, r.current),
      change:
        r.metric === 'errorRate'
          ? `${(r.changePts ?? 0) >= 0 ? '+' : ''}${(r.changePts ?? 0).toFixed(2)} pts`
          : r.changePct === null
            ? 'n/a'
            : `${r.changePct >= 0 ? '+' : ''}${r.changePct.toFixed(1)} %`,
      beyond: r.beyond,
    })),
  };
}
