import { describe, expect, it } from 'vitest';
import { available, balance, compliantAndFaulty, FUNDED, isHeld, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

// Each scenario runs on a compliant bank and on a bank with the fault: the difference is the fault.

const funded = FUNDED.sourceIdentifier;

describe('reserveFunds reference faults', () => {
  it('duplicate-reserve-holds-twice: every repeat holds again under a new reference', async () => {
    const { compliant, faulty } = await compliantAndFaulty('duplicate-reserve-holds-twice', async (bank) => {
      const before = available(bank, funded);
      const request = reserveRequest({ reserveAmount: 1_000 });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(bank, '/reserveFunds', request));
      const refs = answers.map((a) => String(a.json?.['reserveFundsTxnRef']));
      return {
        codes: answers.map((a) => `${a.status} ${String(a.json?.['responseCode'])}`),
        distinctRefs: new Set(refs).size,
        held: before - available(bank, funded),
        open: [...new Set(refs)].filter((ref) => isHeld(bank, ref, request.raasTxnRef)).length,
      };
    });
    expect(compliant).toEqual({ codes: ['200 0000', '200 0000', '200 0000'], distinctRefs: 1, held: 1_000, open: 1 });
    expect(faulty).toEqual({ codes: ['200 0000', '200 0000', '200 0000'], distinctRefs: 3, held: 3_000, open: 3 });
  });

  it('duplicate-reserve-holds-twice: each of the reservations is finished by its own reference', async () => {
    const { compliant, faulty } = await compliantAndFaulty('duplicate-reserve-holds-twice', async (bank) => {
      const before = available(bank, funded);
      const request = reserveRequest({ reserveAmount: 1_000 });
      const refs = [];
      for (let i = 0; i < 2; i++) refs.push(String((await post(bank, '/reserveFunds', request)).json?.['reserveFundsTxnRef']));
      const statuses = [];
      for (const ref of refs) statuses.push((await post(bank, '/transactResult', transactRequest(request, ref, 2201))).status);
      return { statuses, moved: before - available(bank, funded) };
    });
    expect(compliant).toEqual({ statuses: [200, 200], moved: 0 });
    expect(faulty).toEqual({ statuses: [200, 200], moved: 0 });
  });

  it('repeating-references: references cycle through 4 values, and matching uses the pair', async () => {
    const amounts = [1_001, 1_002, 1_003, 1_004, 1_005];
    const { compliant, faulty } = await compliantAndFaulty('repeating-references', async (bank) => {
      const reservations = [];
      for (const reserveAmount of amounts) reservations.push(await reserveOk(bank, { reserveAmount }));
      const [first, , , , fifth] = reservations;
      if (!first || !fifth) throw new Error('expected five reservations');
      const before = balance(bank, funded);
      // Under the fault the fifth shares its reference with the first; its raasTxnRef picks the right one.
      const status = (await post(bank, '/transactResult', transactRequest(fifth.request, fifth.ref, 0))).status;
      return {
        refs: reservations.map((r) => r.ref),
        finished: { status, debited: before - balance(bank, funded), firstOpen: isHeld(bank, first.ref, first.request.raasTxnRef) },
      };
    });
    expect(new Set(compliant.refs).size).toBe(5);
    expect(faulty.refs).toEqual(['ref-0', 'ref-1', 'ref-2', 'ref-3', 'ref-0']);
    expect(compliant.finished).toEqual({ status: 200, debited: 1_005, firstOpen: true });
    expect(faulty.finished).toEqual(compliant.finished);
  });

  it('repeating-references: a shared reference with a raasTxnRef it was not given to is 404', async () => {
    const { compliant, faulty } = await compliantAndFaulty('repeating-references', async (bank) => {
      const { ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      return (await post(bank, '/transactResult', transactRequest(reserveRequest(), ref, 2201))).status;
    });
    // The compliant bank's references are unique, so it matches by reference alone, as the spec asks.
    expect(compliant).toBe(200);
    expect(faulty).toBe(404);
  });

  it('repeating-references: the timeout cancel still matches by raasTxnRef', async () => {
    const { compliant, faulty } = await compliantAndFaulty('repeating-references', async (bank) => {
      const before = available(bank, funded);
      const { request } = await reserveOk(bank, { reserveAmount: 1_000 });
      const status = (await post(bank, '/transactResult', transactRequest(request, '', 2239))).status;
      return { status, moved: before - available(bank, funded) };
    });
    expect(faulty).toEqual(compliant);
    expect(compliant).toEqual({ status: 200, moved: 0 });
  });
});
