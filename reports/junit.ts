import Handlebars from 'handlebars';
import type { CheckResult, Result } from '../checks/result.ts';
import { exchangeText, stripXmlIllegal } from './text.ts';
import source from './templates/junit.xml.hbs';
import { buildView, type RenderOptions, type ReportView } from './view.ts';

const hb = Handlebars.create();
hb.registerHelper({
  // Handlebars' own escaping (&<>"'`=) runs after this and yields valid XML entities and character references.
  xml: (value: unknown) => stripXmlIllegal(String(value)),
  eq: (a: unknown, b: unknown) => a === b,
  details: (check: CheckResult) => details(check),
});
const template = hb.compile<ReportView>(source, { strict: true });

/** One <testsuite> per suite and one <testcase> per check, for CI test dashboards. */
export function renderJunit(result: Result, options: RenderOptions = {}): string {
  return template(buildView(result, options));
}

/** The text a CI dashboard shows under a failing or warning test case. */
function details(check: CheckResult): string {
  const lines = [
    check.summary,
    `level: ${check.level}`,
    ...(check.expected ? [`expected: ${check.expected}`] : []),
    ...(check.observed ? [`observed: ${check.observed}`] : []),
    ...(check.reason ? [`reason: ${check.reason}`] : []),
    ...Object.entries(check.counts ?? {}).map(([name, value]) => `${name}: ${value}`),
    `remediation: ${check.remediation}`,
    `observed by: ${check.observedBy}`,
    ...check.sources.map((s) => `source: ${s.title}, ${s.section} <${s.url}>`),
  ];
  const evidence = (check.evidence ?? []).map((exchange, i) => `\n--- evidence ${i + 1} ---\n${exchangeText(exchange)}`);
  return [lines.join('\n'), ...evidence].join('\n');
}
