import type { EndpointStats, LoadReport } from '../checks/load-report.ts';

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
  held: boolean;
}

export interface LoadView {
  /** The raw figures, for the charts. */
  report: LoadReport;
  /** One line for formats without room for the facts list. */
  summary: string;
  facts: LoadFact[];
  /** Why these figures cannot certify; empty when they can. */
  notHonest: string[];
  endpoints: EndpointRow[];
  capacity: { rows: CapacityRow[]; highest: string } | null;
}

export function buildLoadView(report: LoadReport | undefined): LoadView | null {
  if (!report) return null;
  const plannedRate = report.durationS > 0 ? report.plannedIterations / report.durationS : 0;
  const facts: LoadFact[] = [
    { label: 'Profile', value: report.profile },
    { label: 'Target rate', value: `${rate(report.targetRate)} iterations/s at peak` },
    { label: 'Duration', value: duration(report.durationS) },
    { label: 'Iterations', value: `${int(report.iterations)} completed of ${int(report.plannedIterations)} planned` },
    { label: 'Dropped iterations', value: int(report.droppedIterations) },
    { label: 'Achieved rate', value: `${rate(report.achievedRate)} iterations/s (planned average ${rate(plannedRate)} iterations/s)` },
    { label: 'Schedule lag', value: `p50 ${ms(report.scheduleLagMs.p50)} ms · p95 ${ms(report.scheduleLagMs.p95)} ms · max ${ms(report.scheduleLagMs.max)} ms` },
    { label: 'k6 instances', value: int(report.instances) },
    { label: 'Samples read', value: int(report.samples) },
  ];
  const summary = [
    `${report.profile} profile, ${rate(report.targetRate)} iterations/s peak for ${duration(report.durationS)}`,
    `${int(report.iterations)} of ${int(report.plannedIterations)} iterations`,
    `${int(report.droppedIterations)} dropped`,
    `achieved ${rate(report.achievedRate)}/s`,
    `${int(report.instances)} k6 instance${report.instances === 1 ? '' : 's'}`,
  ].join(' · ');
  return {
    report,
    summary,
    facts,
    notHonest: report.notHonest,
    endpoints: [endpointRow('reserveFunds', report.endpoints.reserveFunds, true), endpointRow('transactResult', report.endpoints.transactResult, false)],
    capacity: report.capacity
      ? {
          rows: report.capacity.steps.map((s) => ({ rate: rate(s.rate), achieved: rate(s.achievedRate), p95: ms(s.p95Ms), errorRate: percent(s.errorRate), held: s.held })),
          highest:
            report.capacity.highestRate === null
              ? 'no step held'
              : report.capacity.steps.length > 0 && report.capacity.steps.every((s) => s.held)
                ? `at least ${rate(report.capacity.highestRate)} iterations/s (every step held, up to load.maxRate)`
                : `${rate(report.capacity.highestRate)} iterations/s`,
        }
      : null,
  };
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
