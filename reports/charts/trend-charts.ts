import type { TrendRun } from '../trend-view.ts';
import {
  axisTop,
  esc,
  formatMs,
  HEIGHT,
  legend,
  niceCeil,
  PLOT,
  px,
  SERIES,
  seriesPath,
  strokeAttrs,
  svgDocument,
  text,
  yGrid,
  type SeriesStyle,
} from './svg.ts';

// The trend's charts: one point per run (oldest left), lines between them, thresholds drawn as dashed lines
// (per run, so a threshold changed between runs shows where it changed). Numbers and our own labels only.

const COLOURS = { reserveFunds: '#0969da', transactResult: '#bc4c00', threshold: '#cf222e', other: '#1a7f37' } as const;
const VERDICT_COLOURS: Record<TrendRun['verdict'], string> = {
  certified: '#1a7f37',
  'not-certified': '#cf222e',
  inconclusive: '#9a6700',
  'passed-partial': '#1a7f37',
  'failed-partial': '#cf222e',
};
const VERDICT_MARKS: Record<TrendRun['verdict'], string> = {
  certified: '✓',
  'not-certified': '✗',
  inconclusive: '?',
  'passed-partial': 'p✓',
  'failed-partial': 'p✗',
};

export type TrendChartKind = 'verdict' | 'p95' | 'p99' | 'errors' | 'capacity';

interface Series {
  label: string;
  style: SeriesStyle;
  colour: string;
  values: readonly (number | null)[];
  /** Drawn with a marker at every point (measured values); thresholds are lines only. */
  markers: boolean;
}

function runAxis(runs: readonly TrendRun[]): { x: (i: number) => number; marks: string[] } {
  const n = Math.max(1, runs.length);
  const x = (i: number) => PLOT.left + ((i + 0.5) / n) * (PLOT.right - PLOT.left);
  // Every run gets its number; dates where there is room (about every 90 px).
  const every = Math.max(1, Math.ceil(n / 8));
  const marks: string[] = [];
  runs.forEach((r, i) => {
    marks.push(`<line x1="${px(x(i))}" y1="${PLOT.bottom}" x2="${px(x(i))}" y2="${PLOT.bottom + 4}" stroke="#59636e"/>`);
    if (i % every === 0 || i === n - 1) marks.push(text(x(i), PLOT.bottom + 18, `#${r.n} ${r.when.slice(5, 10)}`, 'text-anchor="middle" font-size="12"'));
  });
  marks.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 6, 'run (oldest left; month-day of its end, UTC)', 'text-anchor="middle" fill="#59636e"'));
  return { x, marks };
}

/** A y axis: its scale and its gridlines. */
interface Axis {
  y: (v: number) => number;
  grid: string[];
}

function linearAxis(values: readonly number[], minTop: number, unit: (v: number) => string): Axis {
  const top = axisTop(Math.max(minTop, ...values) * 1.1);
  const y = (v: number) => PLOT.bottom - (Math.max(0, Math.min(v, top)) / top) * (PLOT.bottom - PLOT.top);
  const grid: string[] = [];
  const step = niceCeil(top / 5);
  for (let v = 0; v <= top + 1e-9; v += step) grid.push(...yGrid(y(v), unit(Math.round(v * 1000) / 1000)));
  return { y, grid };
}

/** Decades from below the fastest answer to above the threshold: a bank's 2 ms and the 2 s target both stay readable. */
function logAxis(values: readonly number[], unit: (v: number) => string): Axis {
  const positive = values.filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, positive.length > 0 ? Math.min(...positive) : 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive, 10) * 1.05));
  const y = (v: number) => PLOT.bottom - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (PLOT.bottom - PLOT.top);
  const grid: string[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) grid.push(...yGrid(y(v), unit(v)));
  return { y, grid };
}

function lineChart(id: string, title: string, desc: string, runs: readonly TrendRun[], series: readonly Series[], axisOf: (values: number[]) => Axis): string {
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const { y, grid } = axisOf(values);
  const { x, marks } = runAxis(runs);
  const body: string[] = [...grid];
  body.push(...marks);
  for (const s of series) {
    body.push(
      seriesPath(
        s.values.map((v, i) => [i, v] as const),
        x,
        y,
        strokeAttrs(s.style, s.colour),
      ),
    );
    if (s.markers) s.values.forEach((v, i) => v !== null && body.push(`<circle cx="${px(x(i))}" cy="${px(y(v))}" r="3.2" fill="${esc(s.colour)}"/>`));
  }
  body.push(legend(series.map((s) => ({ label: s.label, style: s.style, colour: s.colour }))));
  return svgDocument(id, title, desc, body);
}

function range(values: readonly (number | null)[], format: (v: number) => string): string {
  const seen = values.filter((v): v is number => v !== null);
  if (seen.length === 0) return 'no run measured it';
  return `from ${format(Math.min(...seen))} to ${format(Math.max(...seen))} over ${seen.length} run${seen.length === 1 ? '' : 's'}`;
}

function percentileChart(runs: readonly TrendRun[], which: 'p95' | 'p99'): string {
  const rf = runs.map((r) => r[which].reserveFunds);
  const tr = runs.map((r) => r[which].transactResult);
  const target = runs.map((r) => (which === 'p95' ? r.thresholds.p95Ms : r.thresholds.p99Ms));
  const desc = `${which} response time per run and endpoint, log scale: reserveFunds ${range(rf, formatMs)}, transactResult ${range(tr, formatMs)}; the dashed line is the run's threshold.`;
  return lineChart(
    `trend-${which}`,
    `${which} per endpoint`,
    desc,
    runs,
    [
      { label: `reserveFunds ${which}`, style: SERIES.solid, colour: COLOURS.reserveFunds, values: rf, markers: true },
      { label: `transactResult ${which}`, style: SERIES.dashed, colour: COLOURS.transactResult, values: tr, markers: true },
      { label: 'threshold', style: SERIES.dashDot, colour: COLOURS.threshold, values: target, markers: false },
    ],
    (values) => logAxis(values, formatMs),
  );
}

function errorChart(runs: readonly TrendRun[]): string {
  const pct = (v: number | null) => (v === null ? null : v * 100);
  const rate = runs.map((r) => pct(r.errorRate));
  const budget = runs.map((r) => pct(r.thresholds.errorRate));
  const desc = `Transport errors and 5xx, % of load requests per run: ${range(rate, (v) => `${Math.round(v * 100) / 100} %`)}; the dashed line is the error budget.`;
  return lineChart(
    'trend-errors',
    'Error rate',
    desc,
    runs,
    [
      { label: 'errors, % of requests', style: SERIES.solid, colour: COLOURS.threshold, values: rate, markers: true },
      { label: 'error budget', style: SERIES.dashDot, colour: COLOURS.threshold, values: budget, markers: false },
    ],
    (values) => linearAxis(values, Math.max(0.5, ...budget.filter((v): v is number => v !== null).map((v) => v * 2)), (v) => `${v} %`),
  );
}

function capacityChart(runs: readonly TrendRun[]): string {
  const capacity = runs.map((r) => r.capacity);
  const minimum = runs.map((r) => r.thresholds.minCapacity);
  const desc = `Highest sustained rate of the capacity search per run: ${range(capacity, (v) => `${Math.round(v * 10) / 10}/s`)}${minimum.some((m) => m !== null) ? '; the dashed line is thresholds.minCapacity' : ''}.`;
  return lineChart(
    'trend-capacity',
    'Capacity',
    desc,
    runs,
    [
      { label: 'capacity, iterations/s', style: SERIES.solid, colour: COLOURS.other, values: capacity, markers: true },
      ...(minimum.some((m) => m !== null) ? [{ label: 'minCapacity', style: SERIES.dashDot, colour: COLOURS.threshold, values: minimum, markers: false }] : []),
    ],
    (values) => linearAxis(values, 1, (v) => `${v}/s`),
  );
}

/** One marker per run in the verdict's colour and mark, on one line: how the verdict went over time. */
function verdictChart(runs: readonly TrendRun[]): string {
  const { x, marks } = runAxis(runs);
  const mid = (PLOT.top + PLOT.bottom) / 2;
  const body = [...marks];
  const points = runs.map((r, i) => [i, r.verdict === 'certified' || r.verdict === 'passed-partial' ? 1 : r.verdict === 'inconclusive' ? 0 : -1] as const);
  const yOf = (v: number) => mid - v * ((PLOT.bottom - PLOT.top) / 3);
  body.push(
    ...[1, 0, -1].map((v) => text(PLOT.left - 5, yOf(v) + 4, v === 1 ? 'passed' : v === 0 ? 'inconclusive' : 'failed', 'text-anchor="end" font-size="10"')),
  );
  body.push(seriesPath(points, x, yOf, strokeAttrs(SERIES.dotted, '#8c959f')));
  runs.forEach((r, i) => {
    const cy = yOf(points[i]?.[1] ?? 0);
    body.push(
      `<circle cx="${px(x(i))}" cy="${px(cy)}" r="9" fill="${VERDICT_COLOURS[r.verdict]}"${r.partial ? ' fill-opacity="0.45" stroke="#1f2328" stroke-dasharray="2 2"' : ''}/>`,
    );
    body.push(text(x(i), cy + 4.5, VERDICT_MARKS[r.verdict], 'text-anchor="middle" font-size="12" fill="#fff" font-weight="700"'));
  });
  const desc = `Verdict per run: ${runs.map((r) => `#${r.n} ${r.verdictLabel}`).join(', ')}.`;
  return svgDocument('trend-verdict', 'Verdict per run', desc, body);
}

export function renderTrendChart(kind: TrendChartKind, runs: readonly TrendRun[]): string {
  switch (kind) {
    case 'verdict':
      return verdictChart(runs);
    case 'p95':
    case 'p99':
      return percentileChart(runs, kind);
    case 'errors':
      return errorChart(runs);
    case 'capacity':
      return capacityChart(runs);
  }
}
