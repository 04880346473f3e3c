import Handlebars from 'handlebars';
import type { Status } from '../checks/ids.ts';
import type { Exchange } from '../checks/events.ts';
import type { Result } from '../checks/result.ts';
import { exchangeLine, markdownCell, statusIcon } from './text.ts';
import source from './templates/report.md.hbs';
import { buildView, type ReportView } from './view.ts';

const hb = Handlebars.create();
hb.registerHelper({
  cell: (value: unknown) => markdownCell(value),
  statusIcon: (status: Status) => statusIcon(status),
  firstExchange: (evidence: readonly Exchange[]) => (evidence[0] ? exchangeLine(evidence[0]) : ''),
});
// HTML escaping would garble Markdown (`&#x3D;` in a CI summary), so the `cell` helper is the escaper instead.
const template = hb.compile<ReportView>(source, { noEscape: true, strict: true });

/** Concise report for a CI step summary ($GITHUB_STEP_SUMMARY): verdict, counts, one row per check, failures. */
export function renderMarkdown(result: Result): string {
  return template(buildView(result));
}
