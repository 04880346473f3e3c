import type { LoadReport, TimelinePoint } from '../../checks/load-report.ts';
import { axisTop, formatMs, hLine, legend, niceCeil, PLOT, px, SERIES, seriesPath, strokeAttrs, svgDocument, text, timeAxis, yGrid } from './svg.ts';

// The report's load charts as self-contained SVG strings: no script, no external reference, no bank text
// (only numbers from the timeline and our own labels), so report.html may embed them unescaped.

const COLOURS = {
  p50: '#0969da',
  p95: '#bc4c00',
  p99: '#8250df',
  target: '#59636e',
  achieved: '#1a7f37',
  error: '#cf222e',
  reference: '#cf222e',
  bar: '#8c959f',
} as const;
/** LD-P95/LD-P99's target and LD-MAX's cut-off (Bank Interfaces getting started §1.2-1.3): always on the latency chart. */
export const TARGET_MS = 2000;
export const CUTOFF_MS = 5000;

export type ChartKind = 'latency' | 'rate' | 'errors' | 'histogram' | 'declines';

/** p50/p95/p99 per second on a log axis (a healthy bank's 20 ms and the 5 s cut-off both stay readable). */
export function latencyChart(timeline: readonly TimelinePoint[]): string {
  const values = timeline.flatMap((p) => [p.p50Ms, p.p95Ms, p.p99Ms]).filter((v): v is number => v !== null && v > 0);
  const lowest = values.length > 0 ? minOf(values) : 1;
  const highest = values.length > 0 ? maxOf(values) : 1;
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(lowest, TARGET_MS))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(highest, CUTOFF_MS * 1.2)));
  const y = (ms: number) => PLOT.bottom - ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (PLOT.bottom - PLOT.top);
  const { x, marks } = timeAxis(timeline.length);
  const body: string[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) body.push(...yGrid(y(v), formatMs(v)));
  body.push(...marks);
  body.push(reference(y(TARGET_MS), '2 s target', SERIES.dashDot), reference(y(CUTOFF_MS), '5 s cut-off', SERIES.longDash));
  const at = (pick: (p: TimelinePoint) => number | null) => timeline.map((p) => [p.t + 0.5, pick(p)] as const);
  body.push(
    seriesPath(
      at((p) => p.p50Ms),
      x,
      y,
      strokeAttrs(SERIES.solid, COLOURS.p50),
    ),
  );
  body.push(
    seriesPath(
      at((p) => p.p95Ms),
      x,
      y,
      strokeAttrs(SERIES.dashed, COLOURS.p95),
    ),
  );
  body.push(
    seriesPath(
      at((p) => p.p99Ms),
      x,
      y,
      strokeAttrs(SERIES.dotted, COLOURS.p99),
    ),
  );
  body.push(
    legend([
      { label: 'p50', style: SERIES.solid, colour: COLOURS.p50 },
      { label: 'p95', style: SERIES.dashed, colour: COLOURS.p95 },
      { label: 'p99', style: SERIES.dotted, colour: COLOURS.p99 },
    ]),
  );
  const p95s = timeline.map((p) => p.p95Ms).filter((v): v is number => v !== null);
  const desc =
    p95s.length > 0
      ? `Response time percentiles per second over ${timeline.length} s, log scale. Per-second p95 ranged from ${formatMs(minOf(p95s))} to ${formatMs(maxOf(p95s))}. Reference lines: 2 s target and 5 s cut-off.`
      : 'No requests were measured. Reference lines: 2 s target and 5 s cut-off.';
  return svgDocument('chart-latency', 'Latency per second (p50, p95, p99)', desc, body);
}

/** Planned against achieved iterations per second: where they part, the bank (or the generator) fell behind. */
export function rateChart(timeline: readonly TimelinePoint[]): string {
  const top = axisTop(Math.max(1, maxOf(timeline.map((p) => Math.max(p.targetRate, p.achievedRate)))) * 1.1);
  const y = linearY(top);
  const { x, marks } = timeAxis(timeline.length);
  const body = [...linearGrid(top, y, (v) => `${v}/s`), ...marks];
  body.push(
    seriesPath(
      timeline.map((p) => [p.t + 0.5, p.targetRate] as const),
      x,
      y,
      strokeAttrs(SERIES.dashed, COLOURS.target),
    ),
  );
  body.push(
    seriesPath(
      timeline.map((p) => [p.t + 0.5, p.achievedRate] as const),
      x,
      y,
      strokeAttrs(SERIES.solid, COLOURS.achieved),
    ),
  );
  body.push(
    legend([
      { label: 'target iterations/s', style: SERIES.dashed, colour: COLOURS.target },
      { label: 'achieved iterations/s', style: SERIES.solid, colour: COLOURS.achieved },
    ]),
  );
  const achieved = timeline.reduce((n, p) => n + p.achievedRate, 0);
  const planned = timeline.reduce((n, p) => n + p.targetRate, 0);
  const desc = `Target and achieved iterations per second over ${timeline.length} s: ${round(achieved)} iterations completed against about ${round(planned)} planned.`;
  return svgDocument('chart-rate', 'Arrival rate: target and achieved', desc, body);
}

/** Share of requests per second that were transport errors or 5xx; seconds without requests are gaps. */
export function errorChart(timeline: readonly TimelinePoint[], options: { budgetPct?: number } = {}): string {
  const pct = timeline.map((p) => [p.t + 0.5, p.requests > 0 ? (p.errors / p.requests) * 100 : null] as const);
  const worst = maxOf(pct.map(([, v]) => v ?? 0));
  const top = Math.min(100, axisTop(Math.max(worst, (options.budgetPct ?? 0) * 2, 0.5) * 1.1));
  const y = linearY(top);
  const { x, marks } = timeAxis(timeline.length);
  const body = [...linearGrid(top, y, (v) => `${v} %`), ...marks];
  if (options.budgetPct !== undefined) body.push(reference(y(options.budgetPct), `error budget ${options.budgetPct} %`, SERIES.dashDot));
  body.push(seriesPath(pct, x, y, strokeAttrs(SERIES.solid, COLOURS.error)));
  body.push(legend([{ label: 'errors (transport and 5xx), % of requests', style: SERIES.solid, colour: COLOURS.error }]));
  const errors = timeline.reduce((n, p) => n + p.errors, 0);
  const requests = timeline.reduce((n, p) => n + p.requests, 0);
  const desc = `Error rate per second over ${timeline.length} s: ${errors} of ${requests} requests failed; the worst second reached ${round(worst)} %.`;
  return svgDocument('chart-errors', 'Error rate per second', desc, body);
}

/** Share of reserveFunds answers per second declined (a code other than 0000); seconds without answers are gaps. */
export function declinesChart(perSecond: NonNullable<LoadReport['responses']>['perSecond']): string {
  const pct = perSecond.map((p) => [p.t + 0.5, p.answers > 0 ? (p.declines / p.answers) * 100 : null] as const);
  const worst = maxOf(pct.map(([, v]) => v ?? 0));
  const top = Math.min(100, axisTop(Math.max(worst, 0.5) * 1.1));
  const y = linearY(top);
  const { x, marks } = timeAxis(perSecond.length);
  const body = [...linearGrid(top, y, (v) => `${v} %`), ...marks];
  body.push(seriesPath(pct, x, y, strokeAttrs(SERIES.solid, COLOURS.error)));
  body.push(legend([{ label: 'declined reserveFunds, % of answers', style: SERIES.solid, colour: COLOURS.error }]));
  const declines = perSecond.reduce((n, p) => n + p.declines, 0);
  const answers = perSecond.reduce((n, p) => n + p.answers, 0);
  const desc = `Declined reserveFunds per second over ${perSecond.length} s: ${declines} of ${answers} answers were a code other than 0000; the worst second reached ${round(worst)} %.`;
  return svgDocument('chart-declines', 'Declines per second', desc, body);
}

/** All response times in fixed buckets (equal-width bars, bucket edges below), counts printed on the bars. */
export function histogramChart(histogram: LoadReport['histogram']): string {
  const n = Math.max(1, histogram.length);
  const band = (PLOT.right - PLOT.left) / n;
  const top = axisTop(Math.max(1, maxOf(histogram.map((b) => b.count))) * 1.15);
  const y = linearY(top);
  const body = linearGrid(top, y, (v) => compact(v));
  histogram.forEach((bucket, i) => {
    const x0 = PLOT.left + i * band;
    if (bucket.count > 0) {
      body.push(
        `<rect x="${px(x0 + 1)}" y="${px(y(bucket.count))}" width="${px(band - 2)}" height="${px(PLOT.bottom - y(bucket.count))}" fill="${COLOURS.bar}" stroke="#1f2328" stroke-width="0.8"/>`,
      );
      body.push(text(x0 + band / 2, y(bucket.count) - 3, compact(bucket.count), 'text-anchor="middle" font-size="11"'));
    }
    body.push(text(x0, PLOT.bottom + 15, edge(bucket.fromMs), 'text-anchor="middle" font-size="11"'));
    for (const [ms, label] of [
      [TARGET_MS, '2 s'],
      [CUTOFF_MS, '5 s'],
    ] as const) {
      if (bucket.fromMs === ms) body.push(vReference(x0, label));
    }
  });
  const last = histogram[histogram.length - 1];
  if (last) {
    body.push(text(PLOT.right, PLOT.bottom + 15, edge(last.toMs), 'text-anchor="middle" font-size="11"'));
    for (const [ms, label] of [
      [TARGET_MS, '2 s'],
      [CUTOFF_MS, '5 s'],
    ] as const)
      if (last.toMs === ms) body.push(vReference(PLOT.right, label));
  }
  body.push(text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 38, 'response time (bucket edges; ms unless marked s)', 'text-anchor="middle" fill="#59636e"'));
  const total = histogram.reduce((s, b) => s + b.count, 0);
  const desc =
    total > 0
      ? `Distribution of ${total} response times in ${histogram.length} buckets from ${formatMs(histogram[0]?.fromMs ?? 0)} to ${formatMs(last?.toMs ?? 0)}.`
      : 'No requests were measured.';
  return svgDocument('chart-histogram', 'Response time distribution', desc, body);
}

/** The chart of `kind` for a load report: the one entry point the HTML renderer uses. */
export function renderChart(kind: ChartKind, load: LoadReport, options: { budgetPct?: number } = {}): string {
  switch (kind) {
    case 'latency':
      return latencyChart(load.timeline);
    case 'rate':
      return rateChart(load.timeline);
    case 'errors':
      return errorChart(load.timeline, options);
    case 'histogram':
      return histogramChart(load.histogram);
    case 'declines':
      return declinesChart(load.responses?.perSecond ?? []);
  }
}

function reference(yPos: number, label: string, style: (typeof SERIES)['dashDot' | 'longDash']): string {
  return [hLine(yPos, strokeAttrs(style, COLOURS.reference)), text(PLOT.right - 4, yPos - 4, label, `text-anchor="end" fill="${COLOURS.reference}"`)].join(
    '\n',
  );
}

function vReference(xPos: number, label: string): string {
  return [
    `<line x1="${px(xPos)}" y1="${PLOT.top}" x2="${px(xPos)}" y2="${PLOT.bottom}" ${strokeAttrs(SERIES.dashDot, COLOURS.reference)}/>`,
    text(xPos + 3, PLOT.top + 14, label, `fill="${COLOURS.reference}"`),
  ].join('\n');
}

function linearY(top: number): (v: number) => number {
  return (v) => PLOT.bottom - (Math.max(0, Math.min(v, top)) / top) * (PLOT.bottom - PLOT.top);
}

/** About five gridlines at round values from 0 to `top`. */
function linearGrid(top: number, y: (v: number) => number, label: (v: number) => string): string[] {
  const step = niceCeil(top / 5);
  const out: string[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) out.push(...yGrid(y(v), label(round(v))));
  return out;
}

function edge(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000, 1)}s` : String(round(ms, 1));
}

function compact(n: number): string {
  if (n >= 1e6) return `${round(n / 1e6, 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(round(n, 2));
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// Loops, not Math.min(...values): a long run's timeline would overflow the argument list.
function minOf(values: readonly number[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < m) m = v;
  return Number.isFinite(m) ? m : 0;
}

function maxOf(values: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > m) m = v;
  return Number.isFinite(m) ? m : 0;
}
