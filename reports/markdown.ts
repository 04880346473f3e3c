import Handlebars from 'handlebars';
import type { Status } from '../checks/ids.ts';
import type { Exchange } from '../checks/events.ts';
import type { Result } from '../checks/result.ts';
import { curlCommand } from './curl.ts';
import { exchangeLine, markdownCell, statusIcon } from './text.ts';
import source from './templates/report.md.hbs';
import { buildView, type RenderOptions, type ReportView } from './view.ts';

const hb = Handlebars.create();
hb.registerHelper({
  cell: (value: unknown) => markdownCell(value),
  statusIcon: (status: Status) => statusIcon(status),
  firstExchange: (evidence: readonly Exchange[]) => (evidence[0] ? exchangeLine(evidence[0]) : ''),
  // Only a plain command goes into the summary (printable ASCII, no markup characters), in a fence longer than
  // any backtick run in it; report.html has every command. CI renderers differ in what they sanitise.
  curlBlock: (evidence: readonly Exchange[], curl: ReportView['curl']) => {
    const first = evidence[0];
    if (!first) return '';
    const view = curlCommand(first, curl.runId, curl.secretEnv ?? undefined);
    if (!view.command) return `  - ${markdownCell(view.skipped ?? '')}`;
    if (!/^[\x20-\x7E\n]*$/.test(view.command) || /[<>]/.test(view.command))
      return '  - A curl command for this exchange is in report.html (its request holds characters this summary does not print raw).';
    const fence = '`'.repeat(Math.max(3, ...[...view.command.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return `  - Reproduce with curl (fresh references, signed with openssl from the secret's variable):\n\n    ${fence}sh\n${view.command.replace(/^/gm, '    ')}\n    ${fence}`;
  },
});
// HTML escaping would garble Markdown (`&#x3D;` in a CI summary), so the `cell` helper is the escaper instead.
const template = hb.compile<ReportView>(source, { noEscape: true, strict: true });

/** Concise report for a CI step summary ($GITHUB_STEP_SUMMARY): verdict, counts, one row per check, failures. */
export function renderMarkdown(result: Result, options: RenderOptions = {}): string {
  return template(buildView(result, options));
}
