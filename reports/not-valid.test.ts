// A result.json edited after the run (`bankcert report` finds its digest does not match): every format says
// NOT VALID where the verdict would be, and never the edited verdict. Plus the curl command under a failure.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/result.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { attributesOf, checkMarkup } from './__fixtures__/markup.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { NOT_VALID_BANNER } from './view.ts';

describe('a result that does not match its digest', () => {
  const result = fixtureResult({ verdict: 'certified' });

  it('report.html shows the NOT VALID banner instead of the verdict', () => {
    const html = renderHtml(result, { notValid: true });
    const verdict = /<div class="verdict ([^"]+)">[\s\S]*?<\/div>\s*<\/div>/.exec(html);
    expect(verdict?.[1]).toBe('not-valid');
    expect(verdict?.[0]).toContain(NOT_VALID_BANNER);
    expect(verdict?.[0]).not.toContain('CERTIFIED');
    expect(html).toMatch(/<title>NOT VALID: result.json was changed after the run:/);
    expect(checkMarkup(html, { voidElements: ['meta', 'br', 'col', 'hr'], skipRawText: ['style'] }).problems).toEqual([]);
  });

  it('report.md heads with it', () => {
    const md = renderMarkdown(result, { notValid: true });
    expect(md.split('\n')[0]).toMatch(/^## ⛔ NOT VALID: result\.json was changed after the run: /);
    expect(md).not.toMatch(/CERTIFIED/);
  });

  it('junit.xml carries it as the verdict and as a failing test case', () => {
    const xml = renderJunit(result, { notValid: true });
    expect(checkMarkup(xml).problems).toEqual([]);
    expect(
      attributesOf(xml, 'property')
        .filter((p) => p.name === 'verdict')
        .map((p) => p.value),
    ).toEqual(Array(4).fill('not-valid'));
    expect(attributesOf(xml, 'testcase').map((t) => t.name)).toContain(NOT_VALID_BANNER);
    expect(attributesOf(xml, 'failure').map((f) => f.type)).toContain('NOT VALID');
  });

  it('an intact result renders as before, with no banner', () => {
    expect(renderHtml(result)).not.toContain('NOT VALID');
    expect(renderMarkdown(result)).not.toContain('NOT VALID');
    expect(renderJunit(result)).not.toContain('NOT VALID');
  });
});

describe('a failing exchange in the reports', () => {
  const plain = (r: ReturnType<typeof fixtureResult>) => {
    const failing = r.checks.find((c) => c.status === 'fail') as CheckResult;
    const evidence = [
      {
        step: 'reserveFunds on funded for maximumAmount + 1 (500001)',
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:8480/reserveFunds',
          headers: { 'Content-Type': 'application/json', Signature: '[redacted]' },
          body: `{"clientTxnRef":"bc-${r.runId}-conformance-1-5-c","raasTxnRef":"bc-${r.runId}-conformance-1-5-r","reserveAmount":500001}`,
        },
        response: { status: 200, headers: {}, body: '{"responseCode":"0000"}', durationMs: 3 },
      },
    ];
    return { ...r, checks: r.checks.map((c) => (c === failing ? { ...c, evidence } : c)) };
  };
  const result = plain(fixtureResult({ runId: 'ab12cd34', signingSecretEnv: 'MY_SECRET' }));

  it('report.md and report.html show a curl command signed from the variable, with fresh references', () => {
    const decoded = renderHtml(result).replace(
      /&(quot|#x3D|#x27|#x60|amp|lt|gt);/g,
      (_m, e: string) => ({ quot: '"', '#x3D': '=', '#x27': "'", '#x60': '`', amp: '&', lt: '<', gt: '>' })[e] ?? '',
    );
    for (const text of [renderMarkdown(result), decoded]) {
      expect(text).toContain('REF="bc-curl-$(date +%s)-$$"');
      expect(text).toContain('openssl dgst -sha256 -hmac');
      expect(text).toContain('MY_SECRET');
      expect(text).toContain(`BODY='{"clientTxnRef":"'"$REF"'-c","raasTxnRef":"'"$REF"'-r","reserveAmount":500001}'`);
    }
    // The summary shows no evidence body: the run's references appear nowhere in it.
    expect(renderMarkdown(result)).not.toContain('bc-ab12cd34-conformance-1-5-c');
  });

  it('report.md leaves a command with markup characters to report.html', () => {
    const md = renderMarkdown(fixtureResult());
    expect(md).toContain('A curl command for this exchange is in report.html');
  });
});
