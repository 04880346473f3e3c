import { describe, expect, it } from 'vitest';
import { fixtureLoad } from './__fixtures__/load.ts';
import { checkMarkup } from './__fixtures__/markup.ts';
import { fixtureResult, NASTY } from './__fixtures__/result.ts';
import { renderTrendHtml, renderTrendMarkdown } from './trend.ts';
import { buildTrendView } from './trend-view.ts';

const thresholds = { p95Ms: 2000, p99Ms: 1500, maxMs: 5000, errorRate: 0.001, declineRate: 0.001 };
const runs = [
  {
    dir: 'history/1',
    result: fixtureResult({ runId: 'run-1', finishedAt: '2026-11-27T02:30:00.000Z', load: fixtureLoad({ capacity: undefined }), thresholds }),
  },
  // No load suite: a gap in every load chart, "–" in the tables.
  { dir: 'history/2', result: fixtureResult({ runId: 'run-2', finishedAt: '2026-11-28T02:30:00.000Z', suites: ['conformance'] }) },
  {
    dir: 'history/3',
    result: fixtureResult({
      runId: 'run-3',
      verdict: 'certified',
      finishedAt: '2026-11-29T02:30:00.000Z',
      load: fixtureLoad({ capacity: { steps: [{ rate: 40, achievedRate: 40, p95Ms: 90, errorRate: 0, held: true }], highestRate: 40 } }),
      thresholds: { ...thresholds, minCapacity: 30 },
    }),
  },
];

describe('bankcert trend: views and renderers', () => {
  const view = buildTrendView(runs, '2026-11-29T03:00:00.000Z');

  it('one entry per run, oldest first, with its figures and the thresholds it was judged by', () => {
    expect(view.runs.map((r) => [r.n, r.runId, r.verdict])).toEqual([
      [1, 'run-1', 'not-certified'],
      [2, 'run-2', 'not-certified'],
      [3, 'run-3', 'certified'],
    ]);
    expect(view.runs[0]).toMatchObject({
      p95: { reserveFunds: 2150, transactResult: 30.4 },
      p99: { reserveFunds: 4200, transactResult: 88 },
      errorRate: 1 / 2376,
      capacity: null,
    });
    expect(view.runs[1]).toMatchObject({ p95: { reserveFunds: null, transactResult: null }, errorRate: null, capacity: null, level: null });
    expect(view.runs[2]?.thresholds).toEqual({ p95Ms: 2000, p99Ms: 1500, errorRate: 0.001, minCapacity: 30 });
    expect(view.runs[2]?.capacity).toBe(40);
  });

  it('trend.html: five inline SVG charts with the thresholds drawn, no script, the bank name escaped, well-formed', () => {
    const html = renderTrendHtml(view, '0.1.0');
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain(NASTY.slice(0, 20));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('>threshold<');
    expect(html).toContain('>error budget<');
    expect(html).toContain('>minCapacity<');
    expect(checkMarkup(html, { voidElements: ['meta', 'br', 'line', 'path', 'circle', 'rect'], skipRawText: ['style'] }).problems).toEqual([]);
  });

  it('trend.md: a table row per run, "–" where a run measured nothing, Markdown in the bank name neutralised', () => {
    const md = renderTrendMarkdown(view, '0.1.0');
    const rows = md.split('\n').filter((l) => /^\| \d \|/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('| 2150 ms | 30.4 ms | 4200 ms | 88 ms | 0.04 % | – |');
    expect(rows[1]).toMatch(/\| – \| – \| – \| – \| – \| – \|$/);
    expect(rows[2]).toMatch(/\| 40\/s \|$/);
    expect(md).toContain('Thresholds of the newest run: p95 under 2000 ms, p99 under 1500 ms, errors at most 0.10 %, capacity at least 30/s.');
    expect(md).not.toContain('<script>');
  });
});
