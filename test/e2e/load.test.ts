import { existsSync, readFileSync } from 'node:fs';
import { parseLedgerNdjson } from '../../scripts/ledger/ledger.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckId } from '../../checks/ids.ts';
import type { Result } from '../../checks/result.ts';
import type { FaultName } from '../../reference-bank/faults.ts';
import { loadAccountRoles } from '../../checks/load-records.ts';
import type { Plan } from '../../checks/plan.ts';
import { aggregateLoad } from '../../scripts/load/aggregate.ts';
import { recordsFromFiles } from '../../scripts/load/records.ts';
import { configFor, notPassing, readResult, runCli, startBank, type CliRun } from '../helpers/cli.ts';

// Percentiles are judged at 95 % confidence, so every run that should pass p99 needs at least 299 answers
// per endpoint with none slow: the rows below run 60 iterations/s for 10 s (600 iterations), enough for
// the faults' exact shares (3 % slow, 1 in 500 past 5 s, 1 % 5xx, 40 % shed) to land where each breaks
// one figure only.
const LOAD: [string[], unknown][] = [
  [['load', 'profile'], 'smoke'],
  [['load', 'rate'], 60],
  [['load', 'duration'], '10s'],
];
/** The default run (no profile: the load profile at load.expectedPeakRate), its hold shortened to 10 s. */
const PEAK: [string[], unknown][] = [
  [['load', 'expectedPeakRate'], 60],
  [['load', 'duration'], '10s'],
];
const LD_ROWS: CheckId[] = ['LD-P95', 'LD-P99', 'LD-MAX', 'LD-ERRORS', 'LD-DECLINES'];

interface LoadRun {
  run: CliRun;
  result: Result;
  out: string;
  held: unknown[];
}

/** `bankcert bank [--fault]` on a free port, `certify --suite load` against it, and what the bank still holds. */
async function certifyLoad(edits: [string[], unknown][], bankArgs: string[] = [], cliArgs: string[] = []): Promise<LoadRun> {
  const bank = await startBank(['--quiet', ...bankArgs]);
  try {
    const { config, out } = configFor(bank.url, edits);
    const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'load', ...cliArgs], { timeoutMs: 300_000 });
    const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as { held: unknown[] };
    // A run that wrote no result ended in an error: its output is what explains it.
    if (!existsSync(join(out, 'result.json'))) throw new Error(`certify wrote no result.json (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    return { run, result: readResult(out), out, held: state.held };
  } finally {
    await bank.stop();
  }
}

const statuses = (result: Result, status: string) => result.checks.filter((c) => c.status === status).map((c) => c.id);
const row = (result: Result, id: CheckId) => result.checks.find((c) => c.id === id);
const read = (out: string, file: string) => readFileSync(join(out, file), 'utf8');

interface FaultRow {
  name: string;
  fault: FaultName;
  edits: [string[], unknown][];
  failing: CheckId[];
}

const FAULT_ROWS: FaultRow[] = [
  { name: 'every answer slow', fault: 'slow-every-answer', edits: LOAD, failing: ['LD-P95', 'LD-P99'] },
  // The default profile's shape (ramp, hold, ramp down at the declared peak): a 3 % tail fails p99 at 95 %
  // confidence; scripts/load/confidence.test.ts shows a random 3 % tail fails every full default run too.
  { name: 'a 3 % slow tail, default profile from the peak', fault: 'slow-tail', edits: PEAK, failing: ['LD-P99'] },
  { name: 'answers past the 5 s cut-off', fault: 'past-cutoff', edits: LOAD, failing: ['LD-MAX'] },
  { name: 'a share of 5xx answers', fault: 'errors-5xx', edits: LOAD, failing: ['LD-ERRORS'] },
  { name: 'load shed with fast 2060 answers', fault: 'shed-load', edits: LOAD, failing: ['LD-DECLINES'] },
];

describe('load suite against the reference bank (real k6, real HTTP)', () => {
  it.each(FAULT_ROWS)('$name ($fault) → exit 1, failing only $failing, nothing inconclusive', async ({ fault, edits, failing }) => {
    const { run, result, out, held } = await certifyLoad(edits, ['--fault', fault]);
    expect({ exit: run.code, notPassing: notPassing(result), inconclusive: statuses(result, 'inconclusive') }, run.stdout + run.stderr).toEqual({
      exit: 1,
      notPassing: failing,
      inconclusive: [],
    });
    expect(result.ledger.open).toBe(0);
    expect(held).toEqual([]);
    expect(run.stdout).toMatch(new RegExp(`Load proven: no: ${failing.join(', ')} failed at `));
    if (fault === 'slow-tail')
      expect(row(result, 'LD-P99')?.summary).toMatch(
        /^p99 not under 2000 ms at 95 % confidence: reserveFunds \d{3} answers, \d+ at 2000 ms or more \(share ≥ [\d.]+ %, allowed 1 %\)/,
      );
    if (fault === 'shed-load') {
      // 2 in 5 of everything after the first 15: the code mix and its table show it.
      expect(result.load?.responses?.codes.find((c) => c.code === '2060')?.count).toBeGreaterThan(200);
      expect(read(out, 'report.md')).toMatch(/\| 2060 \| declined \(LD-DECLINES\) \| \d{3} \| 3\d\.\d % \|/);
    }
  });

  it('the default run certifies load.expectedPeakRate with the load profile, and every LD row names that level in all four formats', async () => {
    const { run, result, out } = await certifyLoad(PEAK);
    expect({ exit: run.code, notPassing: notPassing(result), inconclusive: statuses(result, 'inconclusive') }, run.stdout + run.stderr).toEqual({
      exit: 0,
      notPassing: [],
      inconclusive: [],
    });
    expect(run.stdout).toContain('suite load: profile load, 60 iterations/s (the declared peak, load.expectedPeakRate) held 10 s');
    expect(result.load).toMatchObject({ profile: 'load', targetRate: 60, level: { profile: 'load', rate: 60, holdS: 10 }, expectedPeakRate: 60 });
    const level = 'at 60 iterations/s held 10 s (load profile)';
    const [html, md, junit] = [read(out, 'report.html'), read(out, 'report.md'), read(out, 'junit.xml')];
    for (const id of LD_ROWS) {
      const summary = row(result, id)?.summary ?? '';
      expect(summary, id).toContain(level);
      expect(html, id).toContain(`<td>${summary.replace(/'/g, '&#x27;')}</td>`);
      expect(
        md.split('\n').find((l) => l.startsWith(`| ${id} |`)),
        id,
      ).toContain(level);
      expect(junit, id).toContain(`<system-out>${summary}</system-out>`);
    }
    expect(row(result, 'LD-P99')?.summary).toMatch(
      /^p99 under 2000 ms at 95 % confidence: reserveFunds \d{3} answers, none at 2000 ms or more \(share ≤ 0\.\d+ %\)/,
    );
    // A 10 s hold does not prove the peak: the banner says so in every format and on the terminal.
    const banner =
      'Load proven: 60 iterations/s held 10 s (load profile); smoke only: not proven at the expected peak (60/s), which needs 60 iterations/s held 120 s';
    for (const [format, text] of [
      ['html', html],
      ['md', md],
      ['junit', junit],
      ['terminal', run.stdout],
    ])
      expect(text, format).toContain(banner);
  });

  it('without load.expectedPeakRate and without a profile: exit 2 naming the key and the fix, before any traffic', async () => {
    // Nothing listens on the configured URL: reaching the bank would be exit 3, so exit 2 comes first.
    const { config, out } = configFor('http://127.0.0.1:9', [[['load', 'expectedPeakRate'], undefined]]);
    const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'load']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^bankcert: config load\.expectedPeakRate: is missing, .*Fix: add "expectedPeakRate": .*--profile smoke\n$/s);
    expect(run.stderr).not.toMatch(/\bat \S+\.(ts|js|mjs):\d+/);
  });

  it('too few samples: p99 is inconclusive and says how many answers it needs (exit 3); p95 passes on 100 answers', async () => {
    const { run, result } = await certifyLoad([
      [['load', 'profile'], 'smoke'],
      [['load', 'rate'], 20],
      [['load', 'duration'], '5s'],
    ]);
    expect({ exit: run.code, inconclusive: statuses(result, 'inconclusive') }, run.stdout + run.stderr).toEqual({ exit: 3, inconclusive: ['LD-P99'] });
    expect(row(result, 'LD-P95')?.status).toBe('pass');
    expect(row(result, 'LD-P99')?.summary).toMatch(
      /^not enough samples to judge p99: reserveFunds \d+ answers, none at 2000 ms or more .*; at least 299 answers with none at 2000 ms or more are needed/,
    );
    expect(result.inconclusiveReasons).toContain('LD-P99 is inconclusive: too few answers to judge p99 at 95 % confidence');
    expect(run.stdout).toContain('Load proven: not yet: LD-P99 inconclusive at 20 iterations/s held 5 s (smoke profile)');
  });

  it('a compliant smoke run: certified, "smoke only" on the certificate, the charts, per-endpoint figures and the response codes', async () => {
    const { run, result, out } = await certifyLoad(LOAD);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/load: \d+ s of 10 s, \d+ reservations/);
    const load = result.load!;
    expect(load.endpoints.reserveFunds.requests).toBeGreaterThan(570);
    expect(load.notHonest).toEqual([]);
    expect(load.responses?.codes).toEqual([{ kind: 'granted', status: 200, code: '0000', count: load.iterations }]);
    expect(load.responses?.perSecond.reduce((n, p) => n + p.answers, 0)).toBe(load.iterations);
    const html = read(out, 'report.html');
    for (const id of ['chart-latency', 'chart-rate', 'chart-errors', 'chart-histogram', 'chart-declines']) expect(html).toContain(`<title id="${id}-title">`);
    expect(html).toContain('<table id="response-codes">');
    expect(read(out, 'report.md')).toContain(`| 0000 | granted | ${load.iterations} | 100.0 % |`);
    const smokeOnly = `Load proven: 60 iterations/s held 10 s (smoke profile); smoke only: not proven at the expected peak (25/s)`;
    expect(html).toContain(smokeOnly);
    expect(read(out, 'report.md')).toContain(smokeOnly);
    // One ledger line per iteration: every reservation is in the ledger and finished by the run itself;
    // the references set aside for each VU's next iteration are marked unsent, so cleanup sends nothing.
    expect(result.ledger.reservations).toBe(load.iterations);
    expect(result.ledger).toMatchObject({ open: 0, cleanedUp: 0 });
    const rows = parseLedgerNdjson(read(out, 'ledger.ndjson'));
    expect(rows.filter((r) => r.by === 'cleanup')).toEqual([]);
    expect(rows.filter((r) => r.kind === 'unsent').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kind === 'sent').length).toBe(rows.filter((r) => r.kind === 'reserve').length + rows.filter((r) => r.kind === 'unsent').length);
    // The figures come from the suite's own records; k6 writes no raw samples unless asked.
    expect(existsSync(join(out, 'records-load.ndjson'))).toBe(true);
    expect(existsSync(join(out, 'raw-load.ndjson'))).toBe(false);
  });

  it('--k6-raw-samples: k6 also writes its raw samples, and they give the same figures as the records', async () => {
    const { run, result, out } = await certifyLoad(LOAD, [], ['--k6-raw-samples']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const load = result.load!;
    const plan = { profile: 'smoke', targetRateAt: () => 60, durationS: 10, plannedIterations: 600, peakRate: 60, targetsMs: [2000, 2000] };
    const raw = await aggregateLoad([join(out, 'raw-load.ndjson')], plan);
    // The durations are the very values k6 samples: percentiles, exceedances, errors, histogram and lag are identical.
    expect(load.endpoints).toEqual(raw.endpoints);
    expect(load.histogram).toEqual(raw.histogram);
    expect(load.scheduleLagMs).toEqual(raw.scheduleLagMs);
    expect(load.iterations).toBe(raw.iterations);
    // Times: k6 stamps a sample in nanoseconds, a record in whole milliseconds of the VU's clock, so a request
    // ending within a millisecond of a second's edge may fall in the next second; the seconds still agree.
    expect(load.timeline.length).toBe(raw.timeline.length);
    const sum = (t: typeof load.timeline) => t.reduce((n, p) => n + p.requests, 0);
    expect(sum(load.timeline)).toBe(sum(raw.timeline));
    load.timeline.forEach((p, t) => expect(Math.abs(p.requests - (raw.timeline[t]?.requests ?? 0)), `second ${t}`).toBeLessThanOrEqual(5));
  });

  it('the minimal compliant bank certifies the same smoke run', async () => {
    const { run, result, held } = await certifyLoad(LOAD, ['--minimal']);
    expect(
      { exit: run.code, notPassing: statuses(result, 'fail').concat(statuses(result, 'warn'), statuses(result, 'inconclusive')) },
      run.stdout + run.stderr,
    ).toEqual({ exit: 0, notPassing: [] });
    expect(held).toEqual([]);
  });

  it('--instances 2: two k6 processes on execution segments offer the planned load once, and their samples merge exactly', async () => {
    const { run, result, out } = await certifyLoad(LOAD, [], ['--instances', '2']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const load = result.load!;
    expect(load.instances).toBe(2);
    // Segments split one schedule: together, about the 600 planned iterations, not 1,200.
    expect(load.iterations).toBeGreaterThan(570);
    expect(load.iterations).toBeLessThanOrEqual(601);
    // Each instance's records are in its own file; read back, in either order, they give the certificate's figures.
    const parts = [join(out, 'records-load-0.ndjson'), join(out, 'records-load-1.ndjson')];
    const plan = { profile: 'smoke', targetRateAt: () => 60, durationS: 10, plannedIterations: 600, peakRate: 60, targetsMs: [2000, 2000] };
    const roles = loadAccountRoles(JSON.parse(read(out, 'plan.json')) as Plan);
    const [fromParts, reversed] = await Promise.all([recordsFromFiles(parts, roles), recordsFromFiles([...parts].reverse(), roles)]);
    expect(fromParts.ends).toBe(2);
    expect(fromParts.figures.startedIterations).toBe(load.iterations);
    const figures = fromParts.summarise(plan, 2);
    expect(figures.endpoints).toEqual(load.endpoints);
    expect(figures.timeline).toEqual(load.timeline);
    expect(reversed.summarise(plan, 2).histogram).toEqual(load.histogram);
    // Both instances' iteration records reach the response-code mix; references stay unique across instances.
    expect(load.responses?.reserves).toBe(load.iterations);
    expect(notPassing(result)).toEqual([]);
  });

  it('--baseline: a slower bank than last night warns on LD-P95 (or fails it with onRegression "fail")', async () => {
    const short: [string[], unknown][] = [
      [['load', 'profile'], 'smoke'],
      [['load', 'rate'], 60],
      [['load', 'duration'], '6s'],
    ];
    const fast = await startBank(['--quiet']);
    const slow = await startBank(['--quiet', '--latency-ms', '150']);
    try {
      const night1 = configFor(fast.url, short);
      expect((await runCli(['certify', '--config', night1.config, '--out', night1.out, '--suite', 'load'])).code).toBe(0);
      const night2 = configFor(slow.url, short);
      const warned = await runCli(['certify', '--config', night2.config, '--out', night2.out, '--suite', 'load', '--baseline', night1.out]);
      const result = readResult(night2.out);
      expect({ exit: warned.code, notPassing: notPassing(result) }, warned.stdout).toEqual({ exit: 0, notPassing: ['LD-P95', 'LD-P99'] });
      expect(row(result, 'LD-P95')?.status).toBe('warn');
      // The regression is reported on a percentile that still passes its own rule: the row says both.
      expect(row(result, 'LD-P95')?.summary).toMatch(
        /regressed by .*; p95 under 2000 ms at 95 % confidence: .*, at 60 iterations\/s held 6 s \(smoke profile\)$/,
      );
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

  it('LD-CAPACITY fails only when the bank declares a minimum above its capacity: one-at-a-time (50 ms → 20/s), thresholds.minCapacity 30', async () => {
    const { run, result, held } = await certifyLoad(
      [
        [['load', 'profile'], 'capacity'],
        [['load', 'rate'], 4],
        [['load', 'stepDuration'], '3s'],
        [['thresholds', 'minCapacity'], 30],
      ],
      ['--fault', 'one-at-a-time', '--service-ms', '50'],
    );
    expect({ exit: run.code, notPassing: notPassing(result), inconclusive: statuses(result, 'inconclusive') }, run.stdout + run.stderr).toEqual({
      exit: 1,
      notPassing: ['LD-CAPACITY'],
      inconclusive: [],
    });
    expect(row(result, 'LD-CAPACITY')).toMatchObject({ level: 'MUST', status: 'fail' });
    expect(row(result, 'LD-CAPACITY')?.summary).toMatch(
      /below thresholds\.minCapacity \(30 iterations\/s\).*in the capacity search \(steps of 3 s up to \d+ iterations\/s\)/,
    );
    // The search itself still finds the capacity within 10 %.
    const highest = result.load?.capacity?.highestRate ?? 0;
    expect(Math.abs(highest - 20) / 20, `capacity ${highest}/s\n${run.stdout}`).toBeLessThanOrEqual(0.1);
    expect(held).toEqual([]);
  }, 300_000);
});
