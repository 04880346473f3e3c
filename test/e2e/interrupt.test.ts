import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bankState as state, k6ChildOf, untilHeld } from '../helpers/bank-state.ts';
import { CLI, configFor, readResult, runCli, startBank } from '../helpers/cli.ts';

/**
 * The bank stops answering after 15 reserveFunds but still holds their funds: k6 then waits for an
 * answer (up to the 5 s cut-off) while money is held: a known moment to interrupt, and the hardest
 * case for cleanup, a reservation whose reference the harness never saw.
 */
async function startStalledCertification(suite: 'safety' | 'load' = 'safety', env: NodeJS.ProcessEnv = {}) {
  const bank = await startBank(['--stall-after', '15', '--quiet']);
  const { config, out } = configFor(bank.url, [
    [['load', 'rate'], 10],
    [['load', 'duration'], '20s'],
  ]);
  const child = spawn(process.execPath, [CLI, 'certify', '--config', config, '--out', out, '--suite', suite], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { bank, out, child, exited, output: () => output };
}

describe('an interrupted certification leaves no money held (SF-CLEANUP, real k6)', () => {
  it('Ctrl-C (SIGINT to the CLI): k6 stops, open reservations are released, verdict inconclusive (exit 3)', async () => {
    const run = await startStalledCertification();
    try {
      await untilHeld(run.bank);
      run.child.kill('SIGINT');
      const code = await run.exited;
      expect(code, run.output()).toBe(3);
      const result = readResult(run.out);
      expect(result.verdict).toBe('inconclusive');
      expect(result.inconclusiveReasons.join(' ')).toMatch(/interrupted/);
      expect(result.ledger.open).toBe(0);
      expect((await state(run.bank)).held).toEqual([]);
    } finally {
      await run.bank.stop();
    }
  });

  it('k6 killed (SIGKILL): the CLI still releases every reservation, including one whose answer was lost', async () => {
    const run = await startStalledCertification();
    try {
      const k6 = await k6ChildOf(run.child.pid!);
      await untilHeld(run.bank);
      process.kill(k6, 'SIGKILL');
      const code = await run.exited;
      expect(code, run.output()).toBe(3);
      const result = readResult(run.out);
      expect(result.inconclusiveReasons.join(' ')).toMatch(/SIGKILL/);
      expect(result.ledger.open).toBe(0);
      expect((await state(run.bank)).held).toEqual([]);
    } finally {
      await run.bank.stop();
    }
  });

  // The load suite writes its records after the iterations; the references in flight are the ones set
  // aside for each VU (scripts/run/event-ledger.ts), and they must be cancelled too. In the open model
  // (certification) a VU writes every record at once; in the closed model (BANKCERT_BENCH_VUS, the bench)
  // it holds up to 100 and announces 100 references ahead, so a kill loses records of iterations that
  // finished: cleanup must still find every reference the VUs may have sent.
  it.each([
    ['Ctrl-C (SIGINT to the CLI)', 'cli', {}],
    ['k6 killed (SIGKILL)', 'k6', {}],
    ['closed model with batched records, Ctrl-C', 'cli', { BANKCERT_BENCH_VUS: '3' }],
    ['closed model with batched records, k6 killed', 'k6', { BANKCERT_BENCH_VUS: '3' }],
  ] as const)('load suite, %s while answers are outstanding: every held reservation is released', async (_name, target, env) => {
    const run = await startStalledCertification('load', env);
    try {
      const k6 = await k6ChildOf(run.child.pid!);
      await untilHeld(run.bank);
      if (target === 'cli') run.child.kill('SIGINT');
      else process.kill(k6, 'SIGKILL');
      const code = await run.exited;
      expect(code, run.output()).toBe(3);
      const result = readResult(run.out);
      expect(result.verdict).toBe('inconclusive');
      expect(result.ledger.open).toBe(0);
      expect(result.ledger.cleanedUp).toBeGreaterThan(0);
      expect((await state(run.bank)).held).toEqual([]);
    } finally {
      await run.bank.stop();
    }
  });

  it('CLI and k6 both killed: `bankcert reconcile DIR` releases what they left', async () => {
    const run = await startStalledCertification();
    try {
      const k6 = await k6ChildOf(run.child.pid!);
      await untilHeld(run.bank);
      run.child.kill('SIGKILL');
      process.kill(k6, 'SIGKILL');
      await run.exited;
      expect((await state(run.bank)).held.length).toBeGreaterThan(0);
      const reconciled = await runCli(['reconcile', run.out]);
      expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
      expect(reconciled.stdout).toMatch(/0 still open/);
      expect((await state(run.bank)).held).toEqual([]);
      const again = await runCli(['reconcile', run.out]);
      expect(again.stdout).toMatch(/nothing to reconcile/);
    } finally {
      await run.bank.stop();
    }
  });
});
