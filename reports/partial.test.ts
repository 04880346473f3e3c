import { describe, expect, it } from 'vitest';
import { fixtureResult } from './__fixtures__/result.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { buildView, PARTIAL_RUN } from './view.ts';

// A partial run (certify --check) must never read as a certificate, in any format.
const partial = (verdict: 'passed-partial' | 'failed-partial') => {
  const full = fixtureResult();
  const checks = full.checks.filter((c) => c.id === 'RF-2010');
  return fixtureResult({ verdict, checksChosen: ['RF-2010'], checks, suites: ['conformance'], inconclusiveReasons: [] });
};

describe('partial runs in every report', () => {
  it.each(['passed-partial', 'failed-partial'] as const)('%s: each format says "partial run: not a certificate" and which checks ran', (verdict) => {
    const result = partial(verdict);
    const line = `${PARTIAL_RUN} (checks run: RF-2010)`;
    expect(buildView(result).partial).toBe(line);
    const html = renderHtml(result);
    expect(html).toContain(`<p class="partial" id="partial-run"><strong>${line}</strong></p>`);
    expect(html).toContain(`<div class="verdict ${verdict}">`);
    expect(html).toContain('partial run, not a certificate');
    expect(html).not.toContain('certification report');
    expect(renderMarkdown(result)).toContain(`**${line}**`);
    const junit = renderJunit(result);
    expect(junit).toContain(`<property name="partialRun" value="${line}"/>`);
    // The suites' name itself says it (the fixture's bank name spans lines: the attribute is matched whole).
    expect(junit).toMatch(/<testsuites name="[^"]*\(partial run: not a certificate \(checks run: RF-2010\)\)"/);
  });

  it('labels: PASSED or FAILED (PARTIAL RUN), never CERTIFIED', () => {
    expect(buildView(partial('passed-partial')).verdict.label).toBe('PASSED (PARTIAL RUN)');
    expect(buildView(partial('failed-partial')).verdict.label).toBe('FAILED (PARTIAL RUN)');
    expect(renderMarkdown(partial('passed-partial'))).not.toContain('CERTIFIED');
  });

  it('an inconclusive partial run keeps its verdict and still says it is partial', () => {
    const result = fixtureResult({ verdict: 'inconclusive', checksChosen: ['SF-RELEASE'] });
    expect(buildView(result).verdict.label).toBe('INCONCLUSIVE');
    expect(renderMarkdown(result)).toContain(PARTIAL_RUN);
  });

  it('a certification has no partial line', () => {
    expect(buildView(fixtureResult()).partial).toBeNull();
    expect(renderHtml(fixtureResult())).not.toContain('partial-run');
  });
});
