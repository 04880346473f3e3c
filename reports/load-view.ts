import type { LoadLevel } from '../checks/load-evidence.ts';
import { PEAK_HOLD_S, provesPeak } from '../checks/load-profile.ts';
import type { EndpointStats, LoadReport } from '../checks/load-report.ts';
import type { Result } from '../checks/result.ts';
import { levelPhrase, levelText } from './summary.ts';

// The load section's words and formatted numbers, shared by report.html and report.md so both say the same.
// The charts are not here: report.html draws them from `report` (numbers only) with its chart helper.

/** LD-P95/LD-P99 target and LD-MAX cut-off (Bank Interfaces getting started §1.2-1.3): figures at or past them are emphasised. */
const TARGET_MS = 2000;
const CUTOFF_MS = 5000;

export interface LoadFact {
  label: string;
  value: string;
}

export interface EndpointRow {
  name: string;
  requests: string;
  p50: string;
  p90: string;
  p95: string;
  p99: string;
  max: string;
  errors: string;
  p95Over: boolean;
  p99Over: boolean;
  /** The 5 s cut-off is a reserveFunds rule (LD-MAX); transactResult's max is shown, never flagged. */
  maxOver: boolean;
}

export interface CapacityRow {
  rate: string;
  achieved: string;
  p95: string;
  errorRate: string;
  /** Share of the step's reserveFunds declined; '–' for results written before it was recorded. */
  declineRate: string;
  held: boolean;
}

export interface ResponseRow {
  /** "0000", "2060", "HTTP 503", "no answer (transport error)", … */
  answer: string;
  /** granted, declined (LD-DECLINES) or error (LD-ERRORS). */
  kind: string;
  count: string;
  share: string;
  declined: boolean;
}

export interface LoadView {
  /** The raw figures, for the charts. */
  report: LoadReport;
  /** "at 40 iterations/s held 120 s (load profile)". */
  level: string;
  /** One line for formats without room for the facts list. */
  summary: string;
  facts: LoadFact[];
  /** Why these figures cannot certify; empty when they can. */
  notHonest: string[];
  endpoints: EndpointRow[];
  capacity: { rows: CapacityRow[]; highest: string } | null;
  /** reserveFunds answers under load by code; null when the run recorded none (an older result). */
  responses: { rows: ResponseRow[]; declines: string; worstSecond: string } | null;
}

export function buildLoadView(report: LoadReport | undefined): LoadView | null {
  if (!report) return null;
  const plannedRate = report.durationS > 0 ? report.plannedIterations / report.durationS : 0;
  const level = levelOf(report);
  const facts: LoadFact[] = [
    { label: 'Profile', value: report.profile },
    { label: 'Measured at', value: levelText(level) },
    { label: 'Expected peak', value: expectedPeak(report) },
    { label: 'Target rate', value: `${rate(report.targetRate)} iterations/s at peak` },
    { label: 'Duration', value: duration(report.durationS) },
    { label: 'Iterations', value: `${int(report.iterations)} completed of ${int(report.plannedIterations)} planned` },
    { label: 'Dropped iterations', value: int(report.droppedIterations) },
    { label: 'Achieved rate', value: `${rate(report.achievedRate)} iterations/s (planned average ${rate(plannedRate)} iterations/s)` },
    {
      label: 'Schedule lag',
      value: `p50 ${ms(report.scheduleLagMs.p50)} ms · p95 ${ms(report.scheduleLagMs.p95)} ms · max ${ms(report.scheduleLagMs.max)} ms`,
    },
    { label: 'k6 instances', value: int(report.instances) },
    { label: 'Samples read', value: int(report.samples) },
  ];
  const summary = [
    level.profile === 'capacity'
      ? `capacity search: steps of ${rate(level.holdS)} s up to ${rate(level.rate)} iterations/s, ${duration(report.durationS)} in all`
      : `${rate(level.rate)} iterations/s held ${rate(level.holdS)} s (${report.profile} profile), ${duration(report.durationS)} in all`,
    `${int(report.iterations)} of ${int(report.plannedIterations)} iterations`,
    `${int(report.droppedIterations)} dropped`,
    `achieved ${rate(report.achievedRate)}/s`,
    `${int(report.instances)} k6 instance${report.instances === 1 ? '' : 's'}`,
  ].join(' · ');
  return {
    report,
    level: levelText(level),
    summary,
    facts,
    notHonest: report.notHonest,
    endpoints: [endpointRow('reserveFunds', report.endpoints.reserveFunds, true), endpointRow('transactResult', report.endpoints.transactResult, false)],
    capacity: report.capacity
      ? {
          rows: report.capacity.steps.map((s) => ({
            rate: rate(s.rate),
            achieved: rate(s.achievedRate),
            p95: ms(s.p95Ms),
            errorRate: percent(s.errorRate),
            declineRate: s.declineRate === undefined ? '–' : percent(s.declineRate),
            held: s.held,
          })),
          highest:
            report.capacity.highestRate === null
              ? 'no step held'
              : report.capacity.steps.length > 0 && report.capacity.steps.every((s) => s.held)
                ? `at least ${rate(report.capacity.highestRate)} iterations/s (every step held, up to load.maxRate)`
                : `${rate(report.capacity.highestRate)} iterations/s`,
        }
      : null,
    responses: responsesView(report),
  };
}

/** The level of the profile's figures; results written before it was recorded fall back to the peak and duration. */
function levelOf(report: LoadReport): LoadLevel {
  return report.level ?? { profile: report.profile.replace(/\+capacity$/, ''), rate: report.targetRate, holdS: report.durationS };
}

function expectedPeak(report: LoadReport): string {
  if (report.demo) return 'none: a demonstration run (bankcert demo)';
  const peak = report.expectedPeakRate;
  if (peak === undefined || peak === null) return 'not declared (load.expectedPeakRate)';
  return `${rate(peak)} iterations/s (load.expectedPeakRate): ${provesPeak(levelOf(report), peak) ? 'proven by this run' : `not proven by this run, which needs ${rate(peak)} iterations/s held ${PEAK_HOLD_S} s`}`;
}

const KIND_WORDS = { granted: 'granted', declined: 'declined (LD-DECLINES)', error: 'error (LD-ERRORS)' } as const;

function responsesView(report: LoadReport): LoadView['responses'] {
  const mix = report.responses;
  if (!mix) return null;
  const total = Math.max(1, mix.reserves);
  const rows = mix.codes.map((c) => ({
    answer: answerWords(c.status, c.code),
    kind: KIND_WORDS[c.kind],
    count: int(c.count),
    share: percent(c.count / total),
    declined: c.kind === 'declined',
  }));
  const declines = mix.codes.filter((c) => c.kind === 'declined').reduce((n, c) => n + c.count, 0);
  let worst: { t: number; declines: number; answers: number } | undefined;
  for (const p of mix.perSecond) if (p.declines > 0 && (!worst || p.declines > worst.declines)) worst = p;
  const seconds = mix.perSecond.filter((p) => p.declines > 0).length;
  return {
    rows,
    declines: `${int(declines)} of ${int(mix.reserves)} reserveFunds declined (${percent(declines / total)})`,
    worstSecond: worst
      ? `declines in ${int(seconds)} of ${int(mix.perSecond.length)} seconds; the worst, second ${worst.t}, declined ${int(worst.declines)} of ${int(worst.answers)} answers`
      : 'no second had a decline',
  };
}

function answerWords(status: number, code: string): string {
  if (status === 0) return 'no answer (transport error)';
  const what = code === '' ? 'no responseCode' : code;
  return status === 200 ? what : `HTTP ${status}, ${what}`;
}

/**
 * The banner's one line on what the load suite proved: the level the LD checks passed at, and whether that
 * is the bank's declared peak ("Load proven: 40 iterations/s held 120 s (load profile), the expected peak"),
 * or only a lighter run ("…; smoke only: not proven at the expected peak (40/s)"). Null without a load run.
 */
export function loadProvenLine(result: Pick<Result, 'load' | 'checks'>): string | null {
  const report = result.load;
  if (!report) return null;
  const level = levelOf(report);
  const at = levelText(level);
  const must = result.checks.filter((c) => c.suite === 'load' && c.level === 'MUST');
  const failed = must.filter((c) => c.status === 'fail').map((c) => c.id);
  if (failed.length > 0) return `Load proven: no: ${failed.join(', ')} failed ${at}`;
  const open = must.filter((c) => c.status === 'inconclusive').map((c) => c.id);
  if (open.length > 0) return `Load proven: not yet: ${open.join(', ')} inconclusive ${at}`;
  if (report.notHonest.length > 0) return `Load proven: not yet: the load figures cannot certify (${report.notHonest[0]})`;
  if (level.profile === 'capacity') {
    const highest = report.capacity?.highestRate;
    return `Load proven: capacity search only (highest sustained rate ${highest === null || highest === undefined ? 'none' : `${rate(highest)} iterations/s`}); latency was not certified under a load profile`;
  }
  const proven = levelPhrase(level);
  if (report.demo) return `Load proven: demo-level load only: ${proven}; a demonstration, not proven at any production peak`;
  const peak = report.expectedPeakRate;
  if (peak === undefined || peak === null) return `Load proven: ${proven}; no expected peak declared (load.expectedPeakRate), so not proven at one`;
  if (provesPeak(level, peak)) return `Load proven: ${proven}, the expected peak (${rate(peak)}/s)`;
  return `Load proven: ${proven}; smoke only: not proven at the expected peak (${rate(peak)}/s), which needs ${rate(peak)} iterations/s held ${PEAK_HOLD_S} s`;
}

function endpointRow(name: string, s: EndpointStats, cutoffApplies: boolean): EndpointRow {
  return {
    name,
    requests: int(s.requests),
    p50: ms(s.p50Ms),
    p90: ms(s.p90Ms),
    p95: ms(s.p95Ms),
    p99: ms(s.p99Ms),
    max: ms(s.maxMs),
    errors: `${int(s.errors)} (${percent(s.errorRate)})`,
    p95Over: s.p95Ms >= TARGET_MS,
    p99Over: s.p99Ms >= TARGET_MS,
    maxOver: cutoffApplies && s.maxMs >= CUTOFF_MS,
  };
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function int(n: number): string {
  return INTEGER.format(n);
}

/** Three significant figures at most below 100 ms, whole milliseconds above: the precision a reader can use. */
export function ms(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return int(Math.round(value));
}

function rate(value: number): string {
  return Number.isInteger(value) ? int(value) : value.toFixed(2);
}

/** Two significant figures for small rates (0.050 %, the budget's scale), one decimal from 1 %. */
function percent(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0 %';
  return `${pct >= 1 ? pct.toFixed(1) : pct.toPrecision(2)} %`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${rate(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
