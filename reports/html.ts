import Handlebars from 'handlebars';
import type { Status } from '../checks/ids.ts';
import type { LoadReport } from '../checks/load-report.ts';
import type { Exchange } from '../checks/events.ts';
import type { Result } from '../checks/result.ts';
import { curlCommand } from './curl.ts';
import { renderChart, type ChartKind } from './charts/charts.ts';
import { headerLines, prettyBody, statusMark, visibleControls } from './text.ts';
import source from './templates/report.html.hbs';
import { buildView, mapStrings, type RenderOptions, type ReportView } from './view.ts';

const CHART_KINDS: readonly ChartKind[] = ['latency', 'rate', 'errors', 'histogram', 'declines'];

// A private instance so helpers registered here never leak into (or get overridden by) other renderers.
const hb = Handlebars.create();
hb.registerHelper({
  statusMark: (status: Status) => statusMark(status),
  statusLabel: (status: Status) => status.toUpperCase(),
  needsDetails: (status: Status) => status === 'fail' || status === 'warn' || status === 'inconclusive',
  // Plain strings, still output with {{ }} (escaped). Pretty-printing JSON can decode an escaped control
  // character back into a raw one, so these outputs are made visible again.
  body: (body: string) => visibleControls(prettyBody(body)),
  headers: (headers: Record<string, string>) => visibleControls(headerLines(headers)),
  duration: (seconds: number | null) => formatDuration(seconds),
  curl: (exchange: Exchange, curl: ReportView['curl']) => curlCommand(exchange, curl.runId, curl.secretEnv ?? undefined),
  // Only the public documents are links; bankcert's own reading lives in its repository (docs/checks.md).
  isWeb: (url: string) => /^https:\/\//.test(url),
  // The only unescaped output of report.html (templates.test.ts holds it to that). Safe because the SVG is
  // drawn here, from the load report's timeline and histogram (numbers only), by our own renderer: no bank
  // text reaches it, and the template can pass it nothing but a chart kind and the report.
  chart: (kind: ChartKind, load: LoadReport) => {
    if (!CHART_KINDS.includes(kind)) throw new Error(`unknown chart ${String(kind)}`);
    return new hb.SafeString(renderChart(kind, load));
  },
});
// strict: a misspelt field in the template throws in tests instead of rendering as nothing.
const template = hb.compile<ReportView>(source, { strict: true });

/** The self-contained certificate: one HTML file, no script, prints on A4/Letter. */
export function renderHtml(result: Result, options: RenderOptions = {}): string {
  // Control characters from the bank are made visible before escaping: they are evidence, and HTML parsers drop or mangle them.
  return template(mapStrings(buildView(result, options), visibleControls));
}

function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'duration unknown';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.floor(seconds - minutes * 60)} s`;
}
