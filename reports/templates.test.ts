import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Escaping rules are properties of the template text, so they are checked on the text: a new field added
// without its escaper fails here even if the fixture does not exercise it.

const dir = fileURLToPath(new URL('./templates/', import.meta.url));
const templates = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8').replace(/\{\{!--[\s\S]*?--\}\}/g, '');

/** Mustaches that print something: not blocks (#, /, ^), else, partials (>), inline partials or comments. */
function outputs(source: string): string[] {
  return [...source.matchAll(/\{\{~?\s*([^#/^>!*\s][^}]*?)\s*~?\}\}/g)].map((m) => m[1] ?? '').filter((e) => e !== 'else');
}

describe('templates', () => {
  it('are the three report formats and the two of `bankcert trend`', () => {
    expect(templates.sort()).toEqual(['junit.xml.hbs', 'report.html.hbs', 'report.md.hbs', 'trend.html.hbs', 'trend.md.hbs']);
  });

  it.each(templates)('%s never uses triple braces (unescaped output)', (name) => {
    expect(read(name)).not.toContain('{{{');
    expect(read(name)).not.toMatch(/\{\{\s*&/);
  });

  it('report.html.hbs hands the chart helper only a chart kind and the load report', () => {
    const charts = outputs(read('report.html.hbs')).filter((e) => e.startsWith('chart '));
    expect(charts.sort()).toEqual(['declines', 'errors', 'histogram', 'latency', 'rate'].map((kind) => `chart "${kind}" load.report`));
  });

  it('html.ts makes exactly one SafeString: the chart helper, whose SVG is drawn from numbers', () => {
    const html = readFileSync(fileURLToPath(new URL('./html.ts', import.meta.url)), 'utf8');
    expect(html.match(/SafeString/g)).toHaveLength(1);
    expect(html).toMatch(/chart: \(kind: ChartKind, load: LoadReport\) => \{[\s\S]{0,200}?new hb\.SafeString\(renderChart\(kind, load\)\)/);
  });

  it('report.md.hbs routes every value through cell (it is compiled with noEscape; curlBlock prints only plain commands, fenced)', () => {
    const unescaped = outputs(read('report.md.hbs')).filter((e) => !/^(cell|statusIcon|curlBlock) /.test(e));
    expect(unescaped).toEqual([]);
  });

  it('junit.xml.hbs routes every value through xml', () => {
    const unstripped = outputs(read('junit.xml.hbs')).filter((e) => !e.startsWith('xml '));
    expect(unstripped).toEqual([]);
  });

  it('trend.html.hbs hands the chart helper only a chart kind and the runs; trend.ts makes exactly that one SafeString', () => {
    const charts = outputs(read('trend.html.hbs')).filter((e) => e.startsWith('chart '));
    expect(charts.sort()).toEqual(['capacity', 'errors', 'p95', 'p99', 'verdict'].map((kind) => `chart "${kind}" runs`));
    const trend = readFileSync(fileURLToPath(new URL('./trend.ts', import.meta.url)), 'utf8');
    expect(trend.match(/SafeString/g)).toHaveLength(1);
    expect(trend).toMatch(/new html\.SafeString\(renderTrendChart\(kind, runs\)\)/);
  });

  it('trend.md.hbs routes every value through cell (it is compiled with noEscape)', () => {
    expect(outputs(read('trend.md.hbs')).filter((e) => !e.startsWith('cell '))).toEqual([]);
  });
});
