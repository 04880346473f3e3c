import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBank, type BankProcess } from '../test/helpers/cli.ts';
import type { BankState, RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { FUNDED, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bankcert-state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same helpers as test-support's, for a bank known only by its URL (a child process). */
const remote = (url: string): RunningBank => ({ url, port: Number(new URL(url).port), close: async () => {}, state: () => ({}) as BankState });

async function stateOf(url: string): Promise<BankState> {
  return (await (await fetch(`${url}/__reference/state`)).json()) as BankState;
}

function killed(bank: BankProcess): Promise<void> {
  return new Promise((resolve) => {
    if (bank.child.exitCode !== null || bank.child.signalCode !== null) return resolve();
    bank.child.once('exit', () => resolve());
    bank.child.kill('SIGKILL');
  });
}

describe('--state: a restarted bank continues', () => {
  it('in process: reservations, outcomes and first answers survive a restart', async () => {
    const file = join(dir, 'in-process.json');
    const first = await startReferenceBank({ stateFile: file });
    const held = await reserveOk(first, { reserveAmount: 1_100 });
    const debited = await reserveOk(first, { reserveAmount: 2_200 });
    expect((await post(first, '/transactResult', transactRequest(debited.request, debited.ref, 0))).status).toBe(200);
    const refused = reserveRequest({ reserveAmount: 1, raasTxnRef: 'raas-refused-once' });
    expect((await post(first, '/reserveFunds', refused)).json).toEqual({ responseCode: '2050' });
    const before = first.state();
    await first.close();

    const second = await startReferenceBank({ stateFile: file });
    try {
      const { faults: _f, signing: _s, ...money } = before;
      expect(second.state()).toMatchObject(money);
      // The first answer per raasTxnRef is remembered: a retry gets it again and holds nothing more.
      expect((await post(second, '/reserveFunds', held.request)).json).toEqual({ responseCode: '0000', reserveFundsTxnRef: held.ref });
      expect((await post(second, '/reserveFunds', refused)).json).toEqual({ responseCode: '2050' });
      expect((await post(second, '/transactResult', transactRequest(debited.request, debited.ref, 0))).status).toBe(200);
      expect((await post(second, '/transactResult', transactRequest(held.request, held.ref, 2239))).status).toBe(200);
      expect(second.state().accounts[FUNDED.sourceIdentifier]).toMatchObject({ balance: FUNDED.balance - 2_200, held: 0 });
    } finally {
      await second.close();
    }
  });

  it('a bank killed with SIGKILL mid-run and started again on the same port knows every reservation it acknowledged', async () => {
    const file = join(dir, 'killed.json');
    const first = await startBank(['--state', file, '--quiet']);
    const port = String(new URL(first.url).port);
    const bank = remote(first.url);
    const settled = await reserveOk(bank, { reserveAmount: 3_000 });
    expect((await post(bank, '/transactResult', transactRequest(settled.request, settled.ref, 0))).status).toBe(200);

    // A burst in flight when the process dies: some answered, some decided but never answered, some never read.
    const acknowledged: Array<{ ref: string; amount: number; raas: string; client: string }> = [];
    const burst = Array.from({ length: 60 }, (_, i) => {
      const request = reserveRequest({ reserveAmount: 500 + i });
      return post(bank, '/reserveFunds', request).then(
        (answer) => {
          const ref = answer.json?.['reserveFundsTxnRef'];
          if (answer.json?.['responseCode'] === '0000' && typeof ref === 'string') {
            acknowledged.push({ ref, amount: request.reserveAmount, raas: request.raasTxnRef, client: request.clientTxnRef });
          }
          if (acknowledged.length === 10) void killed(first);
        },
        () => undefined,
      );
    });
    await Promise.all(burst);
    await killed(first);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    expect(existsSync(file)).toBe(true);

    const second = await startBank(['--port', port, '--state', file, '--quiet']);
    try {
      expect(second.url).toBe(first.url);
      const restored = await stateOf(second.url);
      const heldRefs = new Set(restored.held.map((h) => h.reserveFundsTxnRef));
      for (const a of acknowledged) expect(heldRefs.has(a.ref), a.ref).toBe(true);
      expect(restored.accounts[FUNDED.sourceIdentifier]?.balance).toBe(FUNDED.balance - 3_000);
      const heldTotal = restored.held.reduce((sum, h) => sum + h.amount, 0);
      expect(restored.accounts[FUNDED.sourceIdentifier]?.held).toBe(heldTotal);

      // The settled reservation is known and finished (200, not 404); every held one can still be released.
      expect((await post(remote(second.url), '/transactResult', transactRequest(settled.request, settled.ref, 0))).status).toBe(200);
      for (const h of restored.held) {
        const answer = await post(remote(second.url), '/transactResult', {
          ...transactRequest({ clientTxnRef: 'c', raasTxnRef: h.raasTxnRef, reserveAmount: h.amount }, h.reserveFundsTxnRef, 2239),
        });
        expect(answer.status).toBe(200);
      }
      const after = await stateOf(second.url);
      expect(after.held).toEqual([]);
      expect(after.accounts[FUNDED.sourceIdentifier]).toMatchObject({ balance: FUNDED.balance - 3_000, held: 0 });
    } finally {
      await second.stop();
    }
  });

  it('a first start writes the file; a corrupt or foreign file is refused, naming the option', async () => {
    const fresh = join(dir, 'fresh.json');
    const bank = await startReferenceBank({ stateFile: fresh });
    await bank.close();
    expect(JSON.parse(readFileSync(fresh, 'utf8'))).toMatchObject({ version: 1, answers: [] });

    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"version": 1, "ledger": ');
    await expect(startReferenceBank({ stateFile: corrupt })).rejects.toThrow(`--state ${corrupt}: not a reference-bank state file (invalid JSON)`);
    writeFileSync(corrupt, JSON.stringify({ version: 1, ledger: { accounts: [], reservations: [{ state: 'lost' }] }, answers: [] }));
    await expect(startReferenceBank({ stateFile: corrupt })).rejects.toThrow(/not a reference-bank state file \(ledger\.reservations\.0\./);
    writeFileSync(
      corrupt,
      JSON.stringify({ version: 1, ledger: { accounts: [{ sourceIdentifier: 'nobody', balance: 1, held: 0 }], reservations: [] }, answers: [] }),
    );
    await expect(startReferenceBank({ stateFile: corrupt })).rejects.toThrow(/account nobody/);
  });

  it('a file that cannot be written is refused at start, and the port is let go', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const file = join(locked, 'state.json');
      await expect(startReferenceBank({ stateFile: file })).rejects.toThrow(`--state ${file}: cannot write the file`);
      expect(existsSync(file)).toBe(false);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});
