import Handlebars from 'handlebars';
import { renderTrendChart, type TrendChartKind } from './charts/trend-charts.ts';
import htmlSource from './templates/trend.html.hbs';
import mdSource from './templates/trend.md.hbs';
import { markdownCell, visibleControls } from './text.ts';
import type { TrendRun, TrendView } from './trend-view.ts';
import { mapStrings } from './view.ts';

/** One table row, formatted; the same words in trend.html and trend.md. */
interface TrendRow {
  n: number;
  when: string;
  runId: string;
  dir: string;
  verdict: string;
  verdictLabel: string;
  level: string;
  p95rf: string;
  p95tr: string;
  p99rf: string;
  p99tr: string;
  errors: string;
  capacity: string;
}

interface TrendTemplateView extends TrendView {
  rows: TrendRow[];
  mixedBanks: boolean;
  thresholds: string;
  version: string;
}

const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v * 10) / 10} ms`);

function row(r: TrendRun): TrendRow {
  return {
    n: r.n,
    when: r.when,
    runId: r.runId,
    dir: r.dir,
    verdict: r.verdict,
    verdictLabel: r.verdictLabel,
    level: r.level ?? '–',
    p95rf: ms(r.p95.reserveFunds),
    p95tr: ms(r.p95.transactResult),
    p99rf: ms(r.p99.reserveFunds),
    p99tr: ms(r.p99.transactResult),
    errors: r.errorRate === null ? '–' : `${(r.errorRate * 100).toFixed(2)} %`,
    capacity: r.capacity === null ? '–' : `${Math.round(r.capacity * 10) / 10}/s`,
  };
}

function thresholdsLine(view: TrendView): string {
  const t = view.runs.at(-1)?.thresholds;
  if (!t) return '';
  const parts = [
    t.p95Ms !== null ? `p95 under ${t.p95Ms} ms` : '',
    t.p99Ms !== null ? `p99 under ${t.p99Ms} ms` : '',
    t.errorRate !== null ? `errors at most ${(t.errorRate * 100).toFixed(2)} %` : '',
    t.minCapacity !== null ? `capacity at least ${t.minCapacity}/s` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

function templateView(view: TrendView, version: string): TrendTemplateView {
  return { ...view, rows: view.runs.map(row), mixedBanks: view.banks.length > 1, thresholds: thresholdsLine(view), version };
}

const CHARTS: readonly TrendChartKind[] = ['verdict', 'p95', 'p99', 'errors', 'capacity'];

const html = Handlebars.create();
html.registerHelper({
  // The only unescaped output of trend.html: SVG drawn by our renderer from the runs' numbers (no bank text).
  chart: (kind: TrendChartKind, runs: readonly TrendRun[]) => {
    if (!CHARTS.includes(kind)) throw new Error(`unknown trend chart ${String(kind)}`);
    return new html.SafeString(renderTrendChart(kind, runs));
  },
});
const htmlTemplate = html.compile<TrendTemplateView>(htmlSource, { strict: true });

const md = Handlebars.create();
md.registerHelper({ cell: (value: unknown) => markdownCell(value) });
const mdTemplate = md.compile<TrendTemplateView>(mdSource, { noEscape: true, strict: true });

/** trend.html: self-contained (no script, no network), prints well. */
export function renderTrendHtml(view: TrendView, version: string): string {
  const v = templateView(view, version);
  // Bank names and folders are shown as text; control characters made visible first, as in report.html.
  return htmlTemplate({ ...mapStrings(v, visibleControls), runs: view.runs });
}

/** trend.md: the table, for a CI step summary. */
export function renderTrendMarkdown(view: TrendView, version: string): string {
  return mdTemplate(templateView(view, version));
}
