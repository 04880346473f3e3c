import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IterationRecord } from '../../checks/load-records.ts';
import { aggregateLoad, type AggregatedLoad, type LoadPlan } from './aggregate.ts';
import { LoadRecords } from './records.ts';
import { buildTimeline } from './summarise.ts';
import { k6Point, requestTags } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'bankcert-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = Date.parse('2026-11-25T00:00:00.000Z') + 417; // t = 0 off a whole second
const plan: LoadPlan = { profile: 'load', targetRateAt: (t) => (t < 5 ? 40 : 80), durationS: 10, plannedIterations: 600, peakRate: 80, targetsMs: [20, 45.5] };

/** A deterministic run: iterations over 10 s, slow tails, errors, refusals, durations with k6's nanosecond digits. */
function iterations(count: number, seed = 7): IterationRecord[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const out: IterationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const startMs = START + Math.floor((i * 10_000) / count) + Math.floor(random() * 3);
    const durationMs = Math.round((1 + random() * 30 + (random() < 0.03 ? 900 : 0)) * 1e6) / 1e6;
    const status = random() < 0.02 ? (random() < 0.5 ? 0 : 503) : 200;
    const granted = status === 200 && random() < 0.9;
    const endMs = startMs + Math.ceil(durationMs);
    const outcomeDurationMs = Math.round((0.5 + random() * 10) * 1e6) / 1e6;
    out.push({
      seq: i + 1,
      account: 'load:0',
      startMs,
      lagMs: Math.round(random() * 500) / 100,
      status,
      code: granted ? '0000' : status === 200 ? '2060' : '',
      ref: granted ? `b${i}` : '',
      durationMs,
      endMs,
      outcome: granted ? '2239' : '',
      outcomeStatus: granted ? (random() < 0.01 ? 500 : 200) : 0,
      outcomeDurationMs: granted ? outcomeDurationMs : 0,
      outcomeEndMs: granted ? endMs + Math.ceil(outcomeDurationMs) : 0,
    });
  }
  return out;
}

/** The same iterations as k6 would write them with `--out json`: a sample per request at its end, the iteration at its end, the lag at its start. */
function rawLines(records: readonly IterationRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    lines.push(k6Point('bankcert_schedule_lag', r.startMs, r.lagMs ?? 0, { scenario: 'load' }));
    lines.push(k6Point('http_req_duration', r.endMs, r.durationMs, requestTags('reserveFunds', r.status)));
    if (r.outcome !== '') lines.push(k6Point('http_req_duration', r.outcomeEndMs, r.outcomeDurationMs, requestTags('transactResult', r.outcomeStatus)));
    lines.push(k6Point('iterations', Math.max(r.endMs, r.outcomeEndMs), 1, { scenario: 'load' }));
  }
  return lines;
}

/** Everything but the counts of what was read, which differ by construction (lines vs records). */
const figures = ({ samples: _s, malformedLines: _m, startedIterations: _st, ...rest }: AggregatedLoad) => rest;

describe("figures from the load suite's records", () => {
  it("equal the figures from k6's raw samples of the same requests: percentiles, exceedances, timeline, histogram, lag", async () => {
    const records = iterations(5_000);
    const file = join(dir, 'raw.ndjson');
    writeFileSync(file, `${rawLines(records).join('\n')}\n`);
    const fromRaw = await aggregateLoad([file], plan);
    const load = new LoadRecords();
    load.add(records);
    const fromRecords = load.summarise(plan, 1);
    expect(fromRecords.endpoints.reserveFunds.requests).toBe(5_000);
    expect(fromRecords.endpoints.reserveFunds.errors).toBeGreaterThan(0);
    expect(fromRecords.endpoints.reserveFunds.atOrOverMs?.['20']).toBeGreaterThan(0);
    expect(figures(fromRecords)).toEqual(figures(fromRaw));
    expect(fromRecords.samples).toBe(5_000);
  });

  it("take the iterations begun and dropped from k6's end-of-test lines, one per process", () => {
    const load = new LoadRecords();
    load.add(iterations(10));
    load.end({ t: 'end', started: 6, dropped: 1 });
    load.end({ t: 'end', started: 5, dropped: 0 });
    expect(load.ends).toBe(2);
    expect(load.summarise(plan, 2)).toMatchObject({ iterations: 10, startedIterations: 11, droppedIterations: 1, instances: 2 });
  });

  it("merge several processes' records exactly, in any order", () => {
    const records = iterations(2_000, 3);
    const one = new LoadRecords();
    one.add(records);
    const two = new LoadRecords(10);
    two.add(records.filter((_, i) => i % 2 === 1));
    two.add(records.filter((_, i) => i % 2 === 0).reverse());
    expect(figures(two.summarise(plan, 1))).toEqual(figures(one.summarise(plan, 1)));
  });

  it('the timeline is the same whatever span of seconds is gathered at a time', () => {
    const load = new LoadRecords();
    load.add(iterations(3_000, 11));
    const rateAt = (t: number) => plan.targetRateAt(t);
    const whole = buildTimeline(load.figures, 12, rateAt);
    for (const chunk of [1, 7, 301, 1_000]) expect(buildTimeline(load.figures, 12, rateAt, chunk)).toEqual(whole);
  });

  it('computes the figures once: a second call would read durations sorted away from their times', () => {
    const load = new LoadRecords();
    load.add(iterations(10));
    load.summarise(plan, 1);
    expect(() => load.summarise(plan, 1)).toThrow(/already computed/);
  });

  it('no records: an empty timeline of the planned length, no t = 0', () => {
    const empty = new LoadRecords().summarise(plan, 1);
    expect(empty.timeline).toHaveLength(10);
    expect(empty.t0EpochMs).toBeNaN();
    expect(empty.endpoints.reserveFunds.requests).toBe(0);
  });
});
