import { describe, expect, it } from 'vitest';
import type { LoadReport, TimelinePoint } from '../../checks/load-report.ts';
import { checkMarkup } from '../__fixtures__/markup.ts';
import { declinesChart, errorChart, histogramChart, latencyChart, rateChart, renderChart } from './charts.ts';
import { axisTop, PLOT } from './svg.ts';

const timeline: TimelinePoint[] = Array.from({ length: 120 }, (_, t) => ({
  t,
  targetRate: t < 60 ? 10 : 20,
  achievedRate: t === 90 ? 12 : t < 60 ? 10 : 20,
  requests: t === 30 ? 0 : 40,
  errors: t === 100 ? 4 : 0,
  p50Ms: t === 30 ? null : 20 + (t % 7),
  p95Ms: t === 30 ? null : 60 + t,
  p99Ms: t === 30 ? null : t === 110 ? 6400 : 150,
}));
const histogram: LoadReport['histogram'] = [
  { fromMs: 10, toMs: 20, count: 3000 },
  { fromMs: 20, toMs: 30, count: 1500 },
  { fromMs: 1500, toMs: 2000, count: 0 },
  { fromMs: 2000, toMs: 3000, count: 2 },
  { fromMs: 5000, toMs: 7000, count: 1 },
];

const charts = {
  latency: latencyChart(timeline),
  rate: rateChart(timeline),
  errors: errorChart(timeline, { budgetPct: 0.1 }),
  histogram: histogramChart(histogram),
  emptyLatency: latencyChart([]),
  emptyRate: rateChart([]),
  emptyErrors: errorChart([]),
  emptyHistogram: histogramChart([]),
};

describe('charts', () => {
  it.each(Object.entries(charts))('%s is one well-formed, self-contained, accessible SVG element', (_, svg) => {
    const { problems, elements } = checkMarkup(svg);
    expect(problems).toEqual([]);
    expect(elements[0]).toBe('svg');
    expect(new Set(elements)).toEqual(new Set(elements.filter((e) => ['svg', 'title', 'desc', 'rect', 'line', 'path', 'text'].includes(e))));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 720 280" /);
    expect(svg).toMatch(/<title id="[\w-]+-title">[^<]+<\/title>\n<desc id="[\w-]+-desc">[^<]+<\/desc>/);
    expect(svg).toContain('role="img"');
    expect(svg).not.toMatch(/href|url\(|<script|<style|<image|<foreignObject/i);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws the 2 s target and 5 s cut-off on the latency chart, at their place on the log axis', () => {
    const svg = charts.latency;
    expect(svg).toContain('>2 s target</text>');
    expect(svg).toContain('>5 s cut-off</text>');
    // Axis 10 ms .. 10 s (three decades) over the plot's height: 2000 ms sits log10(200)/3 of the way up.
    const y2000 = PLOT.bottom - (Math.log10(200) / 3) * (PLOT.bottom - PLOT.top);
    expect(svg).toContain(`y1="${Math.round(y2000 * 10) / 10}"`);
    expect(charts.emptyLatency).toContain('>5 s cut-off</text>');
  });

  it('tells series apart by dash pattern, not only by colour', () => {
    const dashes = (charts.latency.match(/<path [^>]*\/>/g) ?? []).map((tag) => /stroke-dasharray="([^"]+)"/.exec(tag)?.[1] ?? 'solid');
    expect(new Set(dashes).size).toBe(3);
    expect(charts.latency).toContain('>p50</text>');
    expect(charts.latency).toContain('>p99</text>');
  });

  it('leaves a gap for a second without requests instead of drawing through it', () => {
    const p50 = /<path d="([^"]+)"/.exec(charts.latency)?.[1] ?? '';
    expect(p50.match(/M/g)).toHaveLength(2);
  });

  it('plots target and achieved rates and the error budget', () => {
    expect(charts.rate).toContain('>target iterations/s</text>');
    expect(charts.rate).toContain('>achieved iterations/s</text>');
    expect(charts.errors).toContain('>error budget 0.1 %</text>');
    expect(charts.errors).toContain('4 of 4760 requests failed');
  });

  it('draws one bar per non-empty bucket, marks 2 s and 5 s, and prints counts', () => {
    expect(charts.histogram.match(/<rect /g)).toHaveLength(1 + 4); // the plot frame and four bars
    expect(charts.histogram).toContain('>2 s</text>');
    expect(charts.histogram).toContain('>5 s</text>');
    expect(charts.histogram).toContain('>3000</text>');
  });

  it('stays compact for an hour-long run', () => {
    const long = Array.from({ length: 3600 }, (_, t) => ({ ...timeline[t % 120], t }) as TimelinePoint);
    const svg = latencyChart(long);
    expect(checkMarkup(svg).problems).toEqual([]);
    expect(svg.length).toBeLessThan(200_000);
  });

  it('ends linear axes on round values close above the data', () => {
    expect([0.4, 1, 22, 44, 101, 3450].map(axisTop)).toEqual([0.4, 1, 25, 50, 150, 4000]);
  });

  it('renders by kind for the report', () => {
    const load = { timeline, histogram } as unknown as LoadReport;
    expect(renderChart('latency', load)).toBe(charts.latency);
    expect(renderChart('errors', load, { budgetPct: 0.1 })).toBe(charts.errors);
    expect(renderChart('histogram', load)).toBe(charts.histogram);
    expect(renderChart('rate', load)).toBe(charts.rate);
  });
});

describe('declinesChart', () => {
  it('draws the declined share per second as well-formed SVG, with gaps for seconds without answers', () => {
    const svg = declinesChart([
      { t: 0, answers: 20, declines: 0 },
      { t: 1, answers: 0, declines: 0 },
      { t: 2, answers: 20, declines: 8 },
    ]);
    expect(checkMarkup(svg).problems).toEqual([]);
    expect(svg).toContain('8 of 40 answers were a code other than 0000; the worst second reached 40 %');
    expect(declinesChart([])).toContain('<svg');
  });
});
