import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { LoadReportSchema } from '../../checks/load-report.ts';
import { aggregateLoad, toLoadReport, type AggregatedLoad, type LoadPlan } from './aggregate.ts';
import { k6MetricDefinition, k6Point, requestTags, syntheticRun } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'bankcert-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function write(lines: readonly string[], gz = false): string {
  const file = join(dir, `k6-${fileNo++}.json${gz ? '.gz' : ''}`);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, gz ? gzipSync(text) : text);
  return file;
}

const START = Date.parse('2026-11-25T00:00:00.000Z');
const plan: LoadPlan = { profile: 'load', targetRateAt: (t) => (t < 5 ? 10 : 20), durationS: 10, plannedIterations: 150, peakRate: 20 };
const req = (endpoint: string, atMs: number, durationMs: number, status = 200) =>
  k6Point('http_req_duration', START + atMs, durationMs, requestTags(endpoint, status));

/** reserveFunds 1..1000 ms and transactResult 1..100 ms, in a shuffled order, ending across 10 s. */
function knownDistribution(): string[] {
  const lines = [k6MetricDefinition('http_req_duration', 'trend')];
  for (let i = 1; i <= 1000; i++) lines.push(req('reserveFunds', ((i * 7919) % 1000) * 10, i));
  for (let i = 1; i <= 100; i++) lines.push(req('transactResult', i * 97, i));
  for (let i = 0; i < 150; i++) lines.push(k6Point('iterations', START + i * 66, 1, { scenario: 'load' }));
  return lines;
}

/** The figures that must not depend on how the lines were split into files. */
const figures = ({ instances: _instances, ...rest }: AggregatedLoad) => rest;

describe('aggregateLoad', () => {
  it('computes exact nearest-rank percentiles on a known distribution', async () => {
    const report = await aggregateLoad([write(knownDistribution())], plan);
    expect(report.endpoints.reserveFunds).toEqual({
      requests: 1000,
      errors: 0,
      errorRate: 0,
      minMs: 1,
      avgMs: 500.5,
      p50Ms: 500,
      p90Ms: 900,
      p95Ms: 950,
      p99Ms: 990,
      maxMs: 1000,
      atOrOverMs: {},
    });
    expect(report.endpoints.transactResult).toMatchObject({ requests: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, minMs: 1 });
    expect(report.iterations).toBe(150);
    expect(report.achievedRate).toBe(15);
    expect(report.samples).toBe(1250); // Point lines only: the Metric definition is not a sample
  });

  it('counts the answers at or over each judged target, per endpoint (LD-P95/LD-P99 decide from these)', async () => {
    const report = await aggregateLoad([write(knownDistribution())], { ...plan, targetsMs: [950, 990.5, 2000] });
    expect(report.endpoints.reserveFunds.atOrOverMs).toEqual({ '950': 51, '990.5': 10, '2000': 0 });
    expect(report.endpoints.transactResult.atOrOverMs).toEqual({ '950': 0, '990.5': 0, '2000': 0 });
  });

  it("gives the timeline's t = 0 as epoch milliseconds, to align the per-iteration records with it", async () => {
    const report = await aggregateLoad([write(knownDistribution())], plan);
    const first = Math.min(
      ...knownDistribution()
        .filter((l) => l.includes('"type":"Point"') && !l.includes('"metric":"vus"'))
        .map((l) => Date.parse((JSON.parse(l) as { data: { time: string } }).data.time)),
    );
    expect(report.t0EpochMs).toBe(first);
    expect((await aggregateLoad([write([])], plan)).t0EpochMs).toBeNaN();
  });

  it('counts transport errors (status 0) and 5xx as errors, not 4xx', async () => {
    const statuses = [0, 500, 503, 599, 404, 400, 200, 201];
    const lines = statuses.map((status, i) => req('reserveFunds', i * 100, 10, status));
    lines.push(k6Point('http_req_duration', START, 10, { endpoint: 'transactResult' })); // no status: cannot prove success
    const report = await aggregateLoad([write(lines)], plan);
    expect(report.endpoints.reserveFunds).toMatchObject({ requests: 8, errors: 4, errorRate: 0.5 });
    expect(report.endpoints.transactResult).toMatchObject({ requests: 1, errors: 1 });
    expect(report.timeline[0]).toMatchObject({ requests: 9, errors: 5 });
  });

  it('merges several files (k6 instances) into exactly the figures of one file', async () => {
    const lines = [...syntheticRun({ startMs: START, durationS: 10, iterations: 200 })];
    const whole = await aggregateLoad([write(lines)], plan);
    const split = await aggregateLoad([write(lines.filter((_, i) => i % 3 === 0)), write(lines.filter((_, i) => i % 3 !== 0))], plan);
    expect(figures(split)).toEqual(figures(whole));
    expect(split.instances).toBe(2);
    expect(whole.instances).toBe(1);
    expect((await aggregateLoad([write(lines)], { ...plan, instances: 4 })).instances).toBe(4);
  });

  it('reads gzipped files like plain ones', async () => {
    const lines = [...syntheticRun({ startMs: START, durationS: 10, iterations: 100 })];
    const plain = await aggregateLoad([write(lines)], plan);
    const gz = await aggregateLoad([write(lines, true)], plan);
    expect(gz).toEqual(plain);
    expect(gz.endpoints.reserveFunds.requests).toBe(100);
  });

  it('starts the timeline at the earliest sample of any file and fills each second exactly', async () => {
    // File A starts 2.5 s after file B's first sample (the first iteration's schedule lag): t=0 is B's.
    const a = write([
      req('reserveFunds', 2600, 30),
      req('reserveFunds', 2700, 10),
      req('transactResult', 3400, 20, 0),
      k6Point('iterations', START + 3450, 1, {}),
    ]);
    const b = write([k6Point('vus', START - 1_900, 5, null), k6Point('bankcert_schedule_lag', START + 100, 1, {}), req('reserveFunds', 12_050, 40)]);
    const report = await aggregateLoad([a, b], plan);
    expect(report.timeline).toHaveLength(12); // 11.95 s after t=0 is in second 11
    expect(report.timeline[2]).toEqual({ t: 2, targetRate: 10, achievedRate: 0, requests: 2, errors: 0, p50Ms: 10, p95Ms: 30, p99Ms: 30 });
    expect(report.timeline[3]).toEqual({ t: 3, targetRate: 10, achievedRate: 1, requests: 1, errors: 1, p50Ms: 20, p95Ms: 20, p99Ms: 20 });
    expect(report.timeline[7]).toEqual({ t: 7, targetRate: 20, achievedRate: 0, requests: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null });
    expect(report.timeline[11]?.p99Ms).toBe(40);
  });

  it('covers the planned duration even when samples stop early', async () => {
    const report = await aggregateLoad([write([req('reserveFunds', 0, 5)])], plan);
    expect(report.timeline).toHaveLength(10);
    expect(report.timeline.map((p) => p.targetRate)).toEqual([10, 10, 10, 10, 10, 20, 20, 20, 20, 20]);
  });

  it('parses nanosecond times with any zone offset', async () => {
    const lines = [
      '{"type":"Point","data":{"time":"2026-11-25T02:00:00.000000001+02:00","value":1,"tags":{"endpoint":"reserveFunds","status":"200"}},"metric":"http_req_duration"}',
      '{"type":"Point","data":{"time":"2026-11-25T00:00:01.999999999Z","value":2,"tags":{"endpoint":"reserveFunds","status":"200"}},"metric":"http_req_duration"}',
      '{"type":"Point","data":{"time":"2026-11-24T19:00:02.5-05:00","value":3,"tags":{"endpoint":"reserveFunds","status":"200"}},"metric":"http_req_duration"}',
    ];
    const report = await aggregateLoad([write(lines)], { ...plan, durationS: 1 });
    expect(report.timeline.map((p) => p.requests)).toEqual([1, 1, 1]);
  });

  it('sums dropped iterations, summarises schedule lag, and leaves out what it cannot use', async () => {
    const lines = [
      k6Point('dropped_iterations', START, 1, { scenario: 'load' }),
      k6Point('dropped_iterations', START + 10, 1, { scenario: 'load' }),
      ...Array.from({ length: 100 }, (_, i) => k6Point('bankcert_schedule_lag', START + i, i + 1, null)),
      k6Point('http_req_duration', START, 99, { status: '200', name: 'setup' }), // no endpoint tag
      k6Point('http_req_waiting', START, 1, requestTags('reserveFunds', 200)),
      '{"type":"Point","data":{"time":"2026-11-25T00:00:0', // truncated by a kill
      '',
    ];
    const report = await aggregateLoad([write(lines)], plan);
    expect(report.droppedIterations).toBe(2);
    expect(report.scheduleLagMs).toEqual({ p50: 50, p95: 95, max: 100 });
    expect(report.endpoints.reserveFunds.requests).toBe(0);
    expect(report.untaggedRequests).toBe(1);
    expect(report.malformedLines).toBe(1);
    expect(report.samples).toBe(104);
    expect(report.histogram).toEqual([]);
  });

  it('reports zeros, not NaN, for a run without samples', async () => {
    const report = await aggregateLoad([write([])], plan);
    expect(report.scheduleLagMs).toEqual({ p50: 0, p95: 0, max: 0 });
    expect(report.endpoints.transactResult.p99Ms).toBe(0);
    expect(LoadReportSchema.parse(toLoadReport(report, []))).toBeTruthy();
  });

  it('builds a trimmed histogram whose edges include the 2 s and 5 s marks', async () => {
    const lines = [req('reserveFunds', 0, 0.5), req('reserveFunds', 0, 1999.9), req('reserveFunds', 0, 2000), req('transactResult', 0, 70_000)];
    const report = await aggregateLoad([write(lines)], plan);
    const histogram = report.histogram;
    expect(histogram[0]).toEqual({ fromMs: 0, toMs: 1, count: 1 });
    expect(histogram.find((b) => b.toMs === 2000)).toEqual({ fromMs: 1500, toMs: 2000, count: 1 });
    expect(histogram.find((b) => b.fromMs === 2000)).toEqual({ fromMs: 2000, toMs: 3000, count: 1 });
    expect(histogram.at(-1)).toEqual({ fromMs: 60_000, toMs: 70_000, count: 1 });
    expect(histogram.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(histogram.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps the result.json fields only in toLoadReport', async () => {
    const aggregated = await aggregateLoad([write([...syntheticRun({ startMs: START, durationS: 10, iterations: 50 })])], plan);
    const report = toLoadReport(aggregated, ['x'], { steps: [], highestRate: null });
    expect(LoadReportSchema.strict().parse(report)).toEqual(report);
  });

  it('rejects a missing file and a corrupt .gz instead of reporting partial figures', async () => {
    await expect(aggregateLoad([join(dir, 'missing.json')], plan)).rejects.toThrow(/ENOENT/);
    const corrupt = join(dir, 'corrupt.json.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync('{"a":1}\n'.repeat(1000)).subarray(0, 40), Buffer.from('garbage')]));
    await expect(aggregateLoad([corrupt], plan)).rejects.toThrow();
  });
});
