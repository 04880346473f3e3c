import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateLoad } from '../../scripts/load/aggregate.ts';
import { configFor, notPassing, readResult, runCli, startBank } from '../helpers/cli.ts';
import { runFaultCase, type FaultCase } from '../helpers/fault-case.ts';

// 20 iterations/s for 10 s: 200 reservations, enough for the faults' exact shares (3 % slow, 0.5 % past
// 5 s, 1 % 5xx) to land where each breaks one figure only.
const LOAD: [string[], unknown][] = [
  [['load', 'profile'], 'smoke'],
  [['load', 'rate'], 20],
  [['load', 'duration'], '10s'],
];
const suites: FaultCase['suites'] = ['load'];

const CASES: FaultCase[] = [
  { name: 'compliant bank, smoke profile', suites, expectedExit: 0, expectedFailing: [], edits: LOAD },
  { name: 'minimal compliant bank, smoke profile', suites, bankArgs: ['--minimal', '--quiet'], expectedExit: 0, expectedFailing: [], edits: LOAD },
  {
    name: 'compliant bank, a short load profile (ramp, hold, ramp down)',
    suites,
    expectedExit: 0,
    expectedFailing: [],
    edits: [[['load', 'profile'], 'load'], [['load', 'rate'], 15], [['load', 'duration'], '6s']],
  },
  { name: 'every answer slow', fault: 'slow-every-answer', suites, expectedExit: 1, expectedFailing: ['LD-P95', 'LD-P99'], edits: LOAD },
  { name: 'a slow tail', fault: 'slow-tail', suites, expectedExit: 1, expectedFailing: ['LD-P99'], edits: LOAD },
  { name: 'answers past the 5 s cut-off', fault: 'past-cutoff', suites, expectedExit: 1, expectedFailing: ['LD-MAX'], edits: LOAD },
  { name: 'a share of 5xx answers', fault: 'errors-5xx', suites, expectedExit: 1, expectedFailing: ['LD-ERRORS'], edits: LOAD },
];

describe('load suite against the reference bank (real k6, real HTTP)', () => {
  it.each(CASES)('$name → exit $expectedExit, not passing: $expectedFailing', runFaultCase);

  it('the report shows the charts and per-endpoint figures', async () => {
    const bank = await startBank(['--quiet']);
    try {
      const { config, out } = configFor(bank.url, LOAD);
      const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'load']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/load: \d+ s of 10 s, \d+ reservations/);
      const result = readResult(out);
      expect(result.load?.endpoints.reserveFunds.requests).toBeGreaterThan(150);
      expect(result.load?.notHonest).toEqual([]);
      // One ledger line per iteration: every reservation is in the ledger and finished by the run itself;
      // the references set aside for each VU's next iteration are marked unsent, so cleanup sends nothing.
      expect(result.ledger.reservations).toBe(result.load?.iterations);
      expect(result.ledger).toMatchObject({ open: 0, cleanedUp: 0 });
      const rows = readFileSync(join(out, 'ledger.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; by: string });
      expect(rows.filter((r) => r.by === 'cleanup')).toEqual([]);
      expect(rows.filter((r) => r.kind === 'unsent').length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.kind === 'sent').length).toBe(rows.filter((r) => r.kind === 'reserve').length + rows.filter((r) => r.kind === 'unsent').length);
    } finally {
      await bank.stop();
    }
  });

  it('--instances 2: two k6 processes on execution segments offer the planned load once, and their samples merge exactly', async () => {
    const bank = await startBank(['--quiet']);
    try {
      const { config, out } = configFor(bank.url, LOAD);
      const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'load', '--instances', '2']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const result = readResult(out);
      const load = result.load!;
      expect(load.instances).toBe(2);
      // Segments split one schedule: together, about the 200 planned iterations, not 400.
      expect(load.iterations).toBeGreaterThan(180);
      expect(load.iterations).toBeLessThanOrEqual(201);
      const parts = [join(out, 'raw-load-0.ndjson'), join(out, 'raw-load-1.ndjson')];
      const single = join(out, 'raw-load-merged.ndjson');
      writeFileSync(single, parts.map((p) => readFileSync(p, 'utf8')).join(''));
      const plan = { profile: 'smoke', targetRateAt: () => 20, durationS: 10, plannedIterations: 200, peakRate: 20 };
      const [fromParts, fromOne] = await Promise.all([aggregateLoad(parts, plan), aggregateLoad([single], plan)]);
      expect(fromParts.endpoints).toEqual(fromOne.endpoints);
      expect(fromParts.endpoints).toEqual(load.endpoints);
      expect(fromParts.timeline).toEqual(fromOne.timeline);
      // References stay unique across instances (each numbers its VUs from 1).
      expect(notPassing(result)).toEqual([]);
    } finally {
      await bank.stop();
    }
  });

  it('--baseline: a slower bank than last night warns on LD-P95 (or fails it with onRegression "fail")', async () => {
    const short: [string[], unknown][] = [[['load', 'profile'], 'smoke'], [['load', 'rate'], 10], [['load', 'duration'], '4s']];
    const fast = await startBank(['--quiet']);
    const slow = await startBank(['--quiet', '--latency-ms', '150']);
    try {
      const night1 = configFor(fast.url, short);
      expect((await runCli(['certify', '--config', night1.config, '--out', night1.out, '--suite', 'load'])).code).toBe(0);
      const night2 = configFor(slow.url, short);
      const warned = await runCli(['certify', '--config', night2.config, '--out', night2.out, '--suite', 'load', '--baseline', night1.out]);
      const result = readResult(night2.out);
      expect({ exit: warned.code, notPassing: notPassing(result) }, warned.stdout).toEqual({ exit: 0, notPassing: ['LD-P95', 'LD-P99'] });
      expect(result.checks.find((c) => c.id === 'LD-P95')?.status).toBe('warn');
      expect(result.baseline?.rows.some((r) => r.metric === 'p95Ms' && r.beyond)).toBe(true);
      const strict = configFor(slow.url, [...short, [['baseline', 'onRegression'], 'fail']]);
      const failed = await runCli(['certify', '--config', strict.config, '--out', strict.out, '--suite', 'load', '--baseline', night1.out]);
      expect(failed.code).toBe(1);
      const missing = await runCli(['certify', '--config', strict.config, '--out', strict.out, '--suite', 'load', '--baseline', '/nonexistent']);
      expect(missing.code).toBe(2);
    } finally {
      await fast.stop();
      await slow.stop();
    }
  });

  it('capacity of a one-at-a-time bank (50 ms per reservation → 20/s) is found within 10 %', async () => {
    const bank = await startBank(['--quiet', '--fault', 'one-at-a-time', '--service-ms', '50']);
    try {
      const { config, out } = configFor(bank.url, [
        [['load', 'profile'], 'capacity'],
        [['load', 'rate'], 4],
        [['load', 'stepDuration'], '3s'],
      ]);
      const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'load'], { timeoutMs: 300_000 });
      const result = readResult(out);
      expect(notPassing(result), run.stdout + run.stderr).toEqual([]);
      const highest = result.load?.capacity?.highestRate ?? 0;
      expect(Math.abs(highest - 20) / 20, `capacity ${highest}/s\n${run.stdout}`).toBeLessThanOrEqual(0.1);
    } finally {
      await bank.stop();
    }
  }, 300_000);
});
