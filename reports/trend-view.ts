import type { Result, Verdict } from '../checks/result.ts';
import { levelPhrase } from './summary.ts';

/**
 * `bankcert trend`: the figures of several earlier runs side by side (newest last), shared by trend.html
 * and trend.md so both say the same. Numbers stay numbers here; the charts draw them, the tables format them.
 */

export interface TrendRun {
  /** 1-based position in the trend (oldest first). */
  n: number;
  /** The folder it was read from, as given. */
  dir: string;
  runId: string;
  finishedAt: string;
  /** "2026-11-29 22:18" (UTC), for axes and tables. */
  when: string;
  verdict: Verdict;
  verdictLabel: string;
  partial: boolean;
  /** "25 iterations/s held 120 s (load profile)"; null without load figures. */
  level: string | null;
  p95: { reserveFunds: number | null; transactResult: number | null };
  p99: { reserveFunds: number | null; transactResult: number | null };
  /** Transport errors and 5xx over every load request (both endpoints). */
  errorRate: number | null;
  /** Highest sustained rate of the capacity search, iterations/s. */
  capacity: number | null;
  /** The thresholds the run was judged by; null where the result does not say. */
  thresholds: { p95Ms: number | null; p99Ms: number | null; errorRate: number | null; minCapacity: number | null };
}

export interface TrendView {
  bank: string;
  /** Every bank name, when the runs are not all of one bank. */
  banks: string[];
  runs: TrendRun[];
  generatedAt: string;
  /** Verdict counts over the runs, for the summary line. */
  counts: { label: string; count: number }[];
}

export const TREND_VERDICT_WORDS: Record<Verdict, string> = {
  certified: 'CERTIFIED',
  'not-certified': 'NOT CERTIFIED',
  inconclusive: 'INCONCLUSIVE',
  'passed-partial': 'PASSED (PARTIAL RUN)',
  'failed-partial': 'FAILED (PARTIAL RUN)',
};

function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : iso;
}

function targetOf(result: Result, id: 'LD-P95' | 'LD-P99'): number | null {
  return result.checks.find((c) => c.id === id)?.percentile?.targetMs ?? null;
}

export function trendRun(result: Result, dir: string, n: number): TrendRun {
  const load = result.load;
  const e = load?.endpoints;
  const requests = e ? e.reserveFunds.requests + e.transactResult.requests : 0;
  const latencies = load !== undefined && load.profile !== 'capacity';
  const pick = (f: (s: NonNullable<typeof e>['reserveFunds']) => number, which: 'reserveFunds' | 'transactResult') =>
    latencies && e && e[which].requests > 0 ? f(e[which]) : null;
  const t = result.thresholds;
  return {
    n,
    dir,
    runId: result.runId,
    finishedAt: result.finishedAt,
    when: when(result.finishedAt),
    verdict: result.verdict,
    verdictLabel: TREND_VERDICT_WORDS[result.verdict],
    partial: result.checksChosen !== undefined,
    level: load?.level ? levelPhrase(load.level) : null,
    p95: { reserveFunds: pick((s) => s.p95Ms, 'reserveFunds'), transactResult: pick((s) => s.p95Ms, 'transactResult') },
    p99: { reserveFunds: pick((s) => s.p99Ms, 'reserveFunds'), transactResult: pick((s) => s.p99Ms, 'transactResult') },
    errorRate: latencies && e && requests > 0 ? (e.reserveFunds.errors + e.transactResult.errors) / requests : null,
    capacity: load?.capacity?.highestRate ?? null,
    thresholds: {
      p95Ms: t?.p95Ms ?? targetOf(result, 'LD-P95'),
      p99Ms: t?.p99Ms ?? targetOf(result, 'LD-P99'),
      errorRate: t?.errorRate ?? null,
      minCapacity: t?.minCapacity ?? null,
    },
  };
}

export function buildTrendView(runs: readonly { result: Result; dir: string }[], generatedAt = new Date().toISOString()): TrendView {
  const trend = runs.map((r, i) => trendRun(r.result, r.dir, i + 1));
  const banks = [...new Set(runs.map((r) => r.result.bank))];
  const counts = [...new Set(trend.map((r) => r.verdictLabel))].map((label) => ({ label, count: trend.filter((r) => r.verdictLabel === label).length }));
  return { bank: runs.at(-1)?.result.bank ?? '', banks, runs: trend, generatedAt, counts };
}
