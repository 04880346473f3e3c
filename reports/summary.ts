import { overallDecision, type Exceedance, type LoadLevel, type PercentileJudgement } from '../checks/load-evidence.ts';
import type { JudgedCheck } from '../checks/judge/verdict.ts';
import type { CheckResult } from '../checks/result.ts';

/** The data a summary line may draw on; scenarios report facts, this module alone turns them into words. */
export type Summarisable = Pick<CheckResult, 'status' | 'expected' | 'observed' | 'reason' | 'counts' | 'measuredAt' | 'percentile'>;

/** The check's row with its summary line: what result.json stores and every report prints. */
export function withSummary(check: JudgedCheck): CheckResult {
  const { id, title, level, suite, ...rest } = check;
  return { id, title, level, suite, summary: summaryLine(check), ...rest };
}

/** One line per check, shared by every report format so HTML, Markdown and JUnit never disagree. */
export function summaryLine(check: Summarisable): string {
  // Counts of a skipped check would describe work that did not happen, and so would its level.
  if (check.status === 'skip') return `skipped: ${check.reason || 'no reason recorded'}`;
  const parts: string[] = [];
  const decision = check.percentile ? overallDecision(check.percentile) : undefined;
  // A percentile row speaks through its judgement; anything else reported on it (a baseline regression) first.
  if (!check.percentile || decision !== check.status) parts.push(statusText(check));
  if (check.percentile) parts.push(percentileText(check.percentile));
  let text = parts.join('; ');
  if (check.measuredAt) text = `${text}, ${levelText(check.measuredAt)}`;
  return withCounts(text, check.percentile ? undefined : check.counts);
}

function statusText(check: Summarisable): string {
  const { status, expected, observed, reason } = check;
  switch (status) {
    case 'inconclusive':
      return `inconclusive: ${reason || 'no reason recorded'}`;
    case 'skip':
      return `skipped: ${reason || 'no reason recorded'}`;
    case 'pass':
      return `${observed || expected || 'observed'} as expected`;
    case 'fail':
      return withReason(mismatch(expected, observed), reason);
    case 'warn':
      // A downgraded SHOULD failure may carry no reason: then the mismatch itself is the news.
      return reason ? `${observed || expected} (${reason})` : mismatch(expected, observed);
  }
}

/**
 * The level a load figure was measured at: "at 40 iterations/s held 120 s (load profile)", or for the
 * capacity search "in the capacity search (steps of 5 s up to 80 iterations/s)".
 */
export function levelText(level: LoadLevel): string {
  if (level.profile === 'capacity') return `in the capacity search (steps of ${number(level.holdS)} s up to ${number(level.rate)} iterations/s)`;
  return `at ${levelPhrase(level)}`;
}

/** "40 iterations/s held 120 s (load profile)". */
export function levelPhrase(level: LoadLevel): string {
  return `${number(level.rate)} iterations/s held ${number(level.holdS)} s (${level.profile} profile)`;
}

/**
 * LD-P95/LD-P99 in words, from the counts and bounds that decided them:
 * "p99 under 2000 ms at 95 % confidence: reserveFunds 2,400 answers, 3 at 2000 ms or more (share ≤ 0.28 %); …",
 * "not enough samples to judge p99: reserveFunds 100 answers, 1 at 2000 ms or more; at least 299 answers with none … are needed".
 */
export function percentileText(p: PercentileJudgement): string {
  const name = `p${p.percentile}`;
  const over = `at ${p.targetMs} ms or more`;
  const confidence = `${number(p.confidence * 100)} % confidence`;
  const measured = `measured ${name} ${p.endpoints.map((e) => `${e.endpoint} ${ms(e.measuredMs)} ms`).join(', ')}`;
  const counted = (e: Exceedance) => `${e.endpoint} ${int(e.answers)} answers, ${e.over === 0 ? 'none' : int(e.over)} ${over}`;
  switch (overallDecision(p)) {
    case 'pass':
      return `${name} under ${p.targetMs} ms at ${confidence}: ${p.endpoints.map((e) => `${counted(e)} (share ≤ ${share(e.upper)})`).join('; ')}; ${measured}`;
    case 'fail':
      return `${name} not under ${p.targetMs} ms at ${confidence}: ${p.endpoints
        .filter((e) => e.decision === 'fail')
        .map((e) => `${counted(e)} (share ≥ ${share(e.lower)}, allowed ${share(p.maxShare)})`)
        .join('; ')}; ${measured}`;
    case 'inconclusive': {
      const open = p.endpoints.filter((e) => e.decision !== 'pass');
      return `not enough samples to judge ${name}: ${open.map((e) => `${counted(e)} (share between ${share(e.lower)} and ${share(e.upper)})`).join('; ')}; at least ${int(p.neededWithNone)} answers with none ${over} are needed to show ${name} under ${p.targetMs} ms at ${confidence}; ${measured}`;
    }
  }
}

function mismatch(expected: string, observed: string): string {
  if (!expected) return `observed ${observed || 'nothing'}`;
  return `expected ${expected}, observed ${observed || 'nothing'}`;
}

function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text} (${reason})` : text;
}

function withCounts(text: string, counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return text;
  return `${text} [${entries.map(([name, value]) => `${name} ${value}`).join(', ')}]`;
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function int(n: number): string {
  return INTEGER.format(n);
}

/** A rate or duration: whole numbers as they are, others to two decimals. */
function number(n: number): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(2);
}

function ms(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return int(Math.round(value));
}

/** A share as a percentage with two significant figures (0.28 %, 1.9 %, 12 %). */
function share(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0 %';
  return `${pct >= 10 ? Math.round(pct) : Number(pct.toPrecision(2))} %`;
}
