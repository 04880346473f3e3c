import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../checks/result.ts';
import { configFor, readResult, runCli, startBank, type BankProcess } from '../helpers/cli.ts';

/**
 * Short load runs: a smoke profile of 4 s at 100/s (400 iterations: enough answers to judge p99), the
 * last one with a two-step capacity search.
 */
const LOAD: [string[], unknown][] = [
  [['load', 'rate'], 100],
  [['load', 'duration'], '4s'],
  [['load', 'capacityStartRate'], 50],
  [['load', 'maxRate'], 100],
  [['load', 'stepDuration'], '2s'],
];

describe('bankcert trend over three real runs (short load runs against the reference bank)', () => {
  let bank: BankProcess;
  const runs: { dir: string; result: Result }[] = [];
  const work = mkdtempSync(join(tmpdir(), 'bankcert-trend-'));

  beforeAll(async () => {
    bank = await startBank();
    const { config } = configFor(bank.url, LOAD);
    for (const [i, profile] of ['smoke', 'smoke', 'smoke,capacity'].entries()) {
      const dir = join(work, `run-${i + 1}`);
      const run = await runCli(['certify', '--config', config, '--out', dir, '--suite', 'load', '--profile', profile]);
      // Exit 0 unless a busy machine made the run inconclusive: the trend draws whatever the runs found.
      expect([0, 3], run.stdout + run.stderr).toContain(run.code);
      runs.push({ dir, result: readResult(dir) });
    }
  });

  afterAll(async () => {
    await bank?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes trend.html (inline SVG with the thresholds, no script) and trend.md, one row per run, oldest first', async () => {
    const out = join(work, 'trend');
    const run = await runCli(['trend', ...runs.map((r) => r.dir), '--out', out]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('trend of 3 runs written');

    const html = readFileSync(join(out, 'trend.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const id of ['trend-verdict', 'trend-p95', 'trend-p99', 'trend-errors', 'trend-capacity']) expect(html).toContain(`id="${id}-title"`);
    // The thresholds are drawn: the runs' p95/p99 targets and error budget are series of the charts.
    expect(html.match(/>threshold</g)?.length).toBe(2);
    expect(html).toContain('>error budget<');
    const positions = runs.map((r) => html.indexOf(r.result.runId));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    const md = readFileSync(join(out, 'trend.md'), 'utf8');
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(3);
    for (const [i, r] of runs.entries()) {
      const rf = r.result.load?.endpoints.reserveFunds;
      expect(rows[i]).toContain(r.result.runId);
      expect(rows[i]).toContain(`${Math.round((rf?.p95Ms ?? 0) * 10) / 10} ms`);
    }
    // Only the last run searched capacity.
    expect(rows[2]).toMatch(/\| [\d.]+\/s \|$/);
    expect(rows[0]).toMatch(/\| – \|$/);
    expect(md).toContain('Thresholds of the newest run: p95 under 2000 ms, p99 under 2000 ms, errors at most 0.10 %');
  });

  it('a folder that is not a run is one clear line (exit 2), naming it', async () => {
    const empty = join(work, 'not-a-run');
    mkdirSync(empty);
    const run = await runCli(['trend', runs[0]?.dir ?? '', empty, '--out', join(work, 'trend-2')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(new RegExp(`^bankcert: ${empty.replace(/[/\\.-]/g, '\\$&')} is not a bankcert run: it has no result.json`));
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
