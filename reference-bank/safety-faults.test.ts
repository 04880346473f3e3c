import { describe, expect, it } from 'vitest';
import type { TransactResultRequest } from '../checks/protocol.ts';
import type { RunningBank } from './server.ts';
import { balance, compliantAndFaulty, FUNDED, held, isHeld, post, reserveOk, transactRequest } from './test-support.ts';

// Each scenario runs on a compliant bank and on a bank with the fault: the difference is the fault.

const funded = FUNDED.sourceIdentifier;

/** Delivers the same outcome `n` times, one after the other. */
async function sequential(bank: RunningBank, body: TransactResultRequest, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await post(bank, '/transactResult', body)).status);
  return statuses;
}

async function concurrent(bank: RunningBank, body: TransactResultRequest, n: number): Promise<number[]> {
  return (await Promise.all(Array.from({ length: n }, () => post(bank, '/transactResult', body)))).map((a) => a.status);
}

/** What `act` returned, and how often `amount` left the balance and the holds of the funded account meanwhile. */
async function movement<T>(bank: RunningBank, amount: number, act: () => Promise<T>): Promise<{ result: T; debited: number; unheld: number }> {
  const before = { balance: balance(bank, funded), held: held(bank, funded) };
  const result = await act();
  return { result, debited: (before.balance - balance(bank, funded)) / amount, unheld: (before.held - held(bank, funded)) / amount };
}

describe('SF-DEBIT-ONCE faults', () => {
  it('double-debit-on-retry: every delivery of a dispensed outcome debits again', async () => {
    const { compliant, faulty } = await compliantAndFaulty('double-debit-on-retry', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return movement(bank, 1_000, () => sequential(bank, transactRequest(request, ref, 0), 3));
    });
    expect(compliant).toEqual({ result: [200, 200, 200], debited: 1, unheld: 1 });
    // The hold goes once; only the balance keeps falling.
    expect(faulty).toEqual({ result: [200, 200, 200], debited: 3, unheld: 1 });
  });

  it('double-debit-on-retry: a released reservation is never debited', async () => {
    const { compliant, faulty } = await compliantAndFaulty('double-debit-on-retry', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return movement(bank, 1_000, async () => [
        ...(await sequential(bank, transactRequest(request, ref, 2201), 2)),
        ...(await sequential(bank, transactRequest(request, ref, 0), 2)),
      ]);
    });
    expect(faulty).toEqual(compliant);
    expect(compliant).toEqual({ result: [200, 200, 200, 200], debited: 0, unheld: 1 });
  });

  it('race-double-debit: sequential retries debit once, concurrent first deliveries each debit', async () => {
    const { compliant, faulty } = await compliantAndFaulty('race-double-debit', async (bank) => {
      const first = await reserveOk(bank, { reserveAmount: 1_000 });
      const inSequence = await movement(bank, 1_000, () => sequential(bank, transactRequest(first.request, first.ref, 0), 3));
      const second = await reserveOk(bank, { reserveAmount: 1_000 });
      const atOnce = await movement(bank, 1_000, () => concurrent(bank, transactRequest(second.request, second.ref, 0), 5));
      return { inSequence, atOnce, debitedCount: bank.state().reservations.debited };
    });
    const allOk = [200, 200, 200, 200, 200];
    expect(compliant).toEqual({
      inSequence: { result: [200, 200, 200], debited: 1, unheld: 1 },
      atOnce: { result: allOk, debited: 1, unheld: 1 },
      debitedCount: 2,
    });
    expect(faulty.inSequence).toEqual(compliant.inSequence);
    expect(faulty.atOnce.result).toEqual(allOk);
    expect(faulty.atOnce.debited).toBeGreaterThan(1);
    expect(faulty.atOnce.unheld).toBe(1);
    // Each reservation is still counted once: the ledger's state says debited, the balance says otherwise.
    expect(faulty.debitedCount).toBe(2);
  });

  it('race-double-debit: the release path stays synchronous and releases once', async () => {
    const { compliant, faulty } = await compliantAndFaulty('race-double-debit', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return movement(bank, 1_000, () => concurrent(bank, transactRequest(request, ref, 2239), 5));
    });
    expect(faulty).toEqual(compliant);
    expect(compliant).toEqual({ result: [200, 200, 200, 200, 200], debited: 0, unheld: 1 });
  });
});

describe('SF-RELEASE, TR-RETRY, SF-TIMEOUT-CANCEL and SF-CLEANUP faults', () => {
  it('no-release: the reservation is marked released but its amount stays held', async () => {
    const { compliant, faulty } = await compliantAndFaulty('no-release', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      const moved = await movement(bank, 1_000, () => sequential(bank, transactRequest(request, ref, 2201), 2));
      return { ...moved, listedAsHeld: isHeld(bank, ref, request.raasTxnRef), released: bank.state().reservations.released };
    });
    expect(compliant).toEqual({ result: [200, 200], debited: 0, unheld: 1, listedAsHeld: false, released: 1 });
    expect(faulty).toEqual({ result: [200, 200], debited: 0, unheld: 0, listedAsHeld: false, released: 1 });
  });

  it('no-release: debits and the timeout cancel are unaffected', async () => {
    const { compliant, faulty } = await compliantAndFaulty('no-release', async (bank) => {
      const debit = await reserveOk(bank, { reserveAmount: 1_000 });
      const debited = await movement(bank, 1_000, () => sequential(bank, transactRequest(debit.request, debit.ref, 0), 1));
      const cancel = await reserveOk(bank, { reserveAmount: 1_000 });
      const cancelled = await movement(bank, 1_000, () => sequential(bank, transactRequest(cancel.request, '', 2239), 1));
      return { debited, cancelled };
    });
    expect(faulty).toEqual(compliant);
    expect(compliant.cancelled).toEqual({ result: [200], debited: 0, unheld: 1 });
  });

  it('retry-not-200: first deliveries get 200, every later one 409 without effect', async () => {
    const { compliant, faulty } = await compliantAndFaulty('retry-not-200', async (bank) => {
      const debit = await reserveOk(bank, { reserveAmount: 1_000 });
      const debitBody = transactRequest(debit.request, debit.ref, 0);
      const debits = await movement(bank, 1_000, async () => [...(await sequential(bank, debitBody, 2)), ...(await concurrent(bank, debitBody, 3))]);
      const release = await reserveOk(bank, { reserveAmount: 1_000 });
      const releases = await movement(bank, 1_000, () => sequential(bank, transactRequest(release.request, release.ref, 2201), 2));
      return { debits, releases };
    });
    expect(compliant).toEqual({
      debits: { result: [200, 200, 200, 200, 200], debited: 1, unheld: 1 },
      releases: { result: [200, 200], debited: 0, unheld: 1 },
    });
    expect(faulty).toEqual({
      debits: { result: [200, 409, 409, 409, 409], debited: 1, unheld: 1 },
      releases: { result: [200, 409], debited: 0, unheld: 1 },
    });
  });

  it.each([
    ['an empty reference', (_raas: string) => ''],
    ['the raasTxnRef as reference', (raas: string) => raas],
  ])('unmatched-cancel: a cancel with %s gets 404 and the money stays held', async (_name, refFor) => {
    const { compliant, faulty } = await compliantAndFaulty('unmatched-cancel', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      const cancel = await movement(bank, 1_000, () => sequential(bank, transactRequest(request, refFor(request.raasTxnRef), 2239), 1));
      return { cancel, open: isHeld(bank, ref, request.raasTxnRef) };
    });
    expect(compliant).toEqual({ cancel: { result: [200], debited: 0, unheld: 1 }, open: false });
    expect(faulty).toEqual({ cancel: { result: [404], debited: 0, unheld: 0 }, open: true });
  });

  it('unmatched-cancel: the bank reference still matches', async () => {
    const { compliant, faulty } = await compliantAndFaulty('unmatched-cancel', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return movement(bank, 1_000, () => sequential(bank, transactRequest(request, ref, 2239), 1));
    });
    expect(faulty).toEqual(compliant);
  });

  it.each([
    // The release happens; only the answer fails, so the harness's ledger cannot see the reservation closed.
    [2226, { result: [200], debited: 0, unheld: 1 }, { result: [500], debited: 0, unheld: 1 }],
    [2239, { result: [200], debited: 0, unheld: 1 }, { result: [200], debited: 0, unheld: 1 }],
    [2201, { result: [200], debited: 0, unheld: 1 }, { result: [200], debited: 0, unheld: 1 }],
    [0, { result: [200], debited: 1, unheld: 1 }, { result: [200], debited: 1, unheld: 1 }],
  ])('failure-code-2226-500: outcome %i', async (responseCode, expectedCompliant, expectedFaulty) => {
    const { compliant, faulty } = await compliantAndFaulty('failure-code-2226-500', async (bank) => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return movement(bank, 1_000, () => sequential(bank, transactRequest(request, ref, responseCode), 1));
    });
    expect(compliant).toEqual(expectedCompliant);
    expect(faulty).toEqual(expectedFaulty);
  });

  it('failure-code-2226-500: an unknown reservation is still 404 whatever the code', async () => {
    const { compliant, faulty } = await compliantAndFaulty('failure-code-2226-500', async (bank) => {
      const { request } = await reserveOk(bank, { reserveAmount: 1_000 });
      return sequential(bank, transactRequest(request, 'not-ours', 2226), 1);
    });
    expect(compliant).toEqual([404]);
    expect(faulty).toEqual([404]);
  });
});
