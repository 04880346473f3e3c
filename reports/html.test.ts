import { describe, expect, it } from 'vitest';
import { SOURCES } from '../checks/sources.ts';
import { CATALOGUE } from '../checks/catalogue.ts';
import { ResultSchema } from '../checks/result.ts';
import { fixtureLoad } from './__fixtures__/load.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { checkMarkup } from './__fixtures__/markup.ts';
import { renderHtml } from './html.ts';

/** The elements the report's template itself writes: anything else in the output was injected. */
const TEMPLATE_ELEMENTS = [
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'header',
  'main',
  'footer',
  'section',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'div',
  'span',
  'dl',
  'dt',
  'dd',
  'ul',
  'li',
  'b',
  'small',
  'strong',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
];

describe('renderHtml', () => {
  const result = fixtureResult();
  const html = renderHtml(result);

  it('renders a fixture that is a valid Result', () => {
    expect(ResultSchema.parse(result)).toEqual(result);
    expect(result.verdict).toBe('not-certified');
  });

  it('escapes everything that came from the bank', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;quotes&quot;');
    expect(html).toContain('{{handlebars}}');
    expect(html).toContain('x-bank: &lt;b&gt;&lt;script&gt;');
    expect(html).toContain('ünïcødé 💸 Ω');
  });

  it('shows control characters as visible escapes instead of raw bytes', () => {
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uffff]/);
    expect(html).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(html).toContain('\\u0001');
    expect(html).toContain('\\uD800');
  });

  it('is balanced markup with no injected elements', () => {
    const { problems, elements } = checkMarkup(html, { voidElements: ['meta'], skipRawText: ['style'] });
    expect(problems).toEqual([]);
    expect(elements.filter((e) => !TEMPLATE_ELEMENTS.includes(e))).toEqual([]);
  });

  it('is self-contained: no scripts, fonts, images or external stylesheets', () => {
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc=|@import|url\(/i);
    // Links only within the page, or to the public documents a check cites (plain anchors: nothing is loaded).
    expect(outsideLinks(html)).toEqual([]);
    expect(html).toContain("default-src 'none'");
  });

  it('prints well', () => {
    expect(html).toContain('@media print');
    expect(html).toContain('@page');
    expect(html).toContain('print-color-adjust: exact');
    expect(html).toMatch(/tr[^{]*\{[^}]*break-inside: avoid/);
    expect(html).toMatch(/pre \{[^}]*white-space: pre-wrap/);
  });

  it('has the header facts an onboarding engineer verifies', () => {
    for (const fact of [
      'NOT CERTIFIED',
      'At least one MUST check failed',
      result.target.reserveFundsUrl,
      result.target.transactResultUrl,
      result.runId,
      result.startedAt,
      result.finishedAt,
      '2 min 12 s',
      'bankcert 0.1.0 · k6 v2.0.0',
      result.configDigest,
      result.digest,
      'conformance, safety, security, load',
    ]) {
      expect(html).toContain(fact);
    }
    expect(html).toMatch(/Request signing<\/dt><dd>on</);
  });

  it('lists every check once in a suite table, with counts', () => {
    for (const definition of CATALOGUE) {
      expect(html.split(`<tr id="row-${definition.id}">`)).toHaveLength(2);
    }
    expect(html.match(/<h3>Suite: /g)).toHaveLength(4);
    // Every check passes in the fixture but one failure, one warning and one skip.
    expect(html).toMatch(new RegExp(`<b>${CATALOGUE.length - 3}</b><small>passed`));
    expect(html).toMatch(/<b>1<\/b><small>failed/);
    expect(html).toMatch(/<b>1<\/b><small>warnings/);
    expect(html).toMatch(/<b>1<\/b><small>skipped/);
  });

  it('details failures and warnings with remediation, counts and evidence', () => {
    const failure = section(html, 'check-RF-2010');
    expect(failure).toContain(CATALOGUE.find((d) => d.id === 'RF-2010')?.remediation);
    expect(failure).toContain('How it is observed');
    expect(failure).toContain('<span class="mono">cases</span> 1');
    expect(failure).toContain('POST https://bank.example/reserveFunds?x&#x3D;&lt;y&gt;&amp;z&#x3D;&quot;1&quot;');
    expect(failure).toContain('HTTP 200</code> in 42 ms');
    expect(failure).toContain('x-evil: &lt;script&gt;');
    expect(failure).toContain('&quot;reserveAmount&quot;: 10001'); // pretty-printed request body
    expect(failure).toContain('transport error: <code>connection reset');
    const warning = section(html, 'check-SF-TIMEOUT-CANCEL');
    expect(warning).toContain('cancel not matched');
    expect(html).not.toContain('id="check-RF-0000"');
    expect(html).toContain('<td class="id"><a href="#check-RF-2010">RF-2010</a></td>');
  });

  it('lists skipped checks with their reasons and why the run is incomplete', () => {
    expect(html).toMatch(/<td class="id">RF-2020<\/td>.*no authCode on the funded fixture/);
    expect(html).toContain('Why the run is incomplete');
    expect(html).toContain('k6 said &lt;script&gt;');
  });

  it('shows the money held by the harness and highlights open reservations', () => {
    expect(html).toMatch(/<li class="pass"><b>0<\/b><small>still open/);
    expect(html).not.toContain('still hold funds');
    const open = renderHtml(fixtureResult({ ledger: { reservations: 3, debited: 0, released: 0, refused: 0, open: 2, cleanedUp: 1 } }));
    expect(open).toMatch(/<li class="fail"><b>2<\/b><small>still open/);
    expect(open).toContain('2 reservation(s) still hold funds at the bank');
  });

  it.each([
    ['certified', 'CERTIFIED', 'Every MUST check that applies passed'],
    ['inconclusive', 'INCONCLUSIVE', 'could not observe everything'],
  ] as const)('renders the %s verdict with its meaning', (verdict, label, meaning) => {
    const other = renderHtml(fixtureResult({ verdict, inconclusiveReasons: [] }));
    expect(other).toContain(`<span class="verdict-badge ${verdict}">${label}</span>`);
    expect(other).toContain(meaning);
    expect(other).not.toContain('Why the run is incomplete');
  });
});

/** The HTML of one details section, by its id. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderHtml load section', () => {
  const notHonest = ['k6 dropped 12 iterations: the generator did not offer the planned load', "the load generator's CPU was saturated (97%)"];
  const html = renderHtml(fixtureResult({ load: fixtureLoad({ notHonest }) }));
  const load = section(html, 'load');

  it('is absent when the load suite did not run', () => {
    expect(renderHtml(fixtureResult())).not.toContain('id="load"');
  });

  it('states the run: profile, rates, duration, iterations, drops, lag, instances', () => {
    for (const fact of [
      '<dt>Profile</dt><dd>load</dd>',
      '<dt>Target rate</dt><dd>20 iterations/s at peak</dd>',
      '<dt>Duration</dt><dd>1 min 0 s</dd>',
      '<dt>Iterations</dt><dd>1,188 completed of 1,200 planned</dd>',
      '<dt>Dropped iterations</dt><dd>0</dd>',
      '<dt>Achieved rate</dt><dd>19.80 iterations/s (planned average 20 iterations/s)</dd>',
      '<dt>Schedule lag</dt><dd>p50 0.40 ms · p95 1.25 ms · max 12.0 ms</dd>',
      '<dt>k6 instances</dt><dd>2</dd>',
    ]) {
      expect(load).toContain(fact);
    }
  });

  it('says in a highlighted box why the figures cannot certify', () => {
    expect(load).toContain('<div class="alert fail" id="load-not-honest">');
    expect(load).toContain('These figures cannot certify:');
    expect(load).toContain('<li>k6 dropped 12 iterations: the generator did not offer the planned load</li>');
    expect(load).toContain('saturated (97%)');
    expect(renderHtml(fixtureResult({ load: fixtureLoad() }))).not.toContain('cannot certify');
  });

  it('has the per-endpoint table with figures over the target in bold', () => {
    expect(load).toMatch(
      /<td><code>reserveFunds<\/code><\/td>\s*<td class="num">1,188<\/td>\s*<td class="num">31.5<\/td>\s*<td class="num">95.0<\/td>\s*<td class="num"><strong class="over">2,150<\/strong><\/td>\s*<td class="num"><strong class="over">4,200<\/strong><\/td>\s*<td class="num"><strong class="over">5,210<\/strong><\/td>\s*<td class="num">1 \(0.084 %\)<\/td>/,
    );
    // transactResult's max is past 5 s but LD-MAX is a reserveFunds rule.
    expect(load).toMatch(/<td><code>transactResult<\/code><\/td>[\s\S]*?<td class="num">30.4<\/td>\s*<td class="num">88.0<\/td>\s*<td class="num">6,100<\/td>/);
  });

  it('embeds the four charts as inline SVG', () => {
    expect(load.match(/<figure><svg /g)).toHaveLength(4);
    for (const id of ['chart-latency', 'chart-rate', 'chart-errors', 'chart-histogram']) expect(load).toContain(`<title id="${id}-title">`);
    expect(load).toContain('>2 s target</text>');
    expect(load).toContain('>5 s cut-off</text>');
  });

  it('lists the capacity steps and the highest sustained rate', () => {
    expect(load).toContain('Highest sustained rate: <strong>20 iterations/s</strong>');
    expect(load.match(/✓ held/g)).toHaveLength(2);
    expect(load).toMatch(
      /<td class="num">40<\/td><td class="num">33<\/td><td class="num">2,300<\/td><td class="num">0.40 %<\/td><td class="num">–<\/td><td><span class="badge fail">✗ broke/,
    );
    expect(renderHtml(fixtureResult({ load: fixtureLoad({ capacity: undefined }) }))).not.toContain('Capacity steps');
  });

  it('stays balanced, self-contained markup with only the expected elements', () => {
    const { problems, elements } = checkMarkup(html, { voidElements: ['meta'], skipRawText: ['style'] });
    expect(problems).toEqual([]);
    const allowed = [...TEMPLATE_ELEMENTS, 'figure', 'figcaption', 'svg', 'desc', 'rect', 'line', 'path', 'text'];
    expect(elements.filter((e) => !allowed.includes(e))).toEqual([]);
    expect(html).not.toMatch(/<script|\bsrc=|url\(/i);
    expect(outsideLinks(html)).toEqual([]);
  });
});

/** Every href that is neither an in-page anchor nor one of the cited public documents. */
function outsideLinks(html: string): string[] {
  const cited = new Set<string>(Object.values(SOURCES).map((s) => s.url));
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '').filter((href) => !href.startsWith('#') && !cited.has(href));
}

describe('renderHtml: what load was proven, and how the bank answered under load', () => {
  const load = fixtureLoad({
    profile: 'smoke',
    level: { profile: 'smoke', rate: 5, holdS: 20 },
    expectedPeakRate: 40,
    responses: {
      reserves: 100,
      codes: [
        { kind: 'granted', status: 200, code: '0000', count: 60 },
        { kind: 'declined', status: 200, code: '2060', count: 40 },
      ],
      perSecond: [
        { t: 0, answers: 50, declines: 10 },
        { t: 1, answers: 50, declines: 30 },
      ],
    },
  });
  const html = renderHtml(fixtureResult({ load }));

  it('the verdict banner carries the "Load proven" line', () => {
    const banner = html.slice(html.indexOf('<div class="verdict'), html.indexOf('<dl class="facts">'));
    expect(banner).toContain(
      '<p class="load-proven" id="load-proven"><strong>Load proven: 5 iterations/s held 20 s (smoke profile); smoke only: not proven at the expected peak (40/s)',
    );
    const checks = fixtureResult().checks.map((c) => (c.id === 'LD-P99' ? { ...c, status: 'fail' as const } : c));
    expect(renderHtml(fixtureResult({ load, checks }))).toContain(
      '<strong>Load proven: no: LD-P99 failed at 5 iterations/s held 20 s (smoke profile)</strong>',
    );
    expect(renderHtml(fixtureResult())).not.toContain('id="load-proven"');
  });

  it('shows the response-code mix and the per-second declines chart', () => {
    expect(html).toContain('<table id="response-codes">');
    expect(html).toMatch(
      /<td><code>2060<\/code><\/td><td><strong class="over">declined \(LD-DECLINES\)<\/strong><\/td><td class="num">40<\/td><td class="num">40.0 %<\/td>/,
    );
    expect(html).toContain('40 of 100 reserveFunds declined (40.0 %)');
    expect(html).toContain('<title id="chart-declines-title">');
  });
});
