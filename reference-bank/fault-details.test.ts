import { describe, expect, it } from 'vitest';
import { code } from './fault-probes.ts';
import { REFERENCE_ACCOUNTS } from './fixtures.ts';
import { available, FUNDED, MAX, MIN, post, reserveOk, reserveRequest, transactRequest, withBank } from './test-support.ts';

const low = REFERENCE_ACCOUNTS.lowBalance;

describe('fault details: reserveFunds codes and acknowledgements', () => {
  it('long-reference: the 80-character reference is accepted back and debits', () =>
    withBank(['long-reference'], async (bank) => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      expect(ref).toHaveLength(80);
      expect((await post(bank, '/transactResult', transactRequest(request, ref, 0))).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_000);
    }));

  it('exclusive-minimum: one above the minimum still succeeds', () =>
    withBank(['exclusive-minimum'], async (bank) => {
      await reserveOk(bank, { reserveAmount: MIN + 1 });
    }));

  it('ignore-funds: reserves beyond the balance', () =>
    withBank(['ignore-funds'], async (bank) => {
      await reserveOk(bank, { sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance * 3 });
      expect(available(bank, low.sourceIdentifier)).toBe(-2 * low.balance);
    }));

  it('ignore-auth-code: no authCode at all still reserves', () =>
    withBank(['ignore-auth-code'], async (bank) => {
      await reserveOk(bank, { authCode: undefined });
    }));

  it('blacklisted-as-inactive and inactive-allowed leave the other status alone', async () => {
    await withBank(['blacklisted-as-inactive'], async (bank) => {
      expect(await code(bank, [], { sourceIdentifier: REFERENCE_ACCOUNTS.inactive.sourceIdentifier, authCode: undefined })).toBe('2080');
    });
    await withBank(['inactive-allowed'], async (bank) => {
      expect(await code(bank, [], { sourceIdentifier: REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, authCode: undefined })).toBe('2070');
    });
  });

  it('errors-as-http-400: same JSON body, 0000 and validation errors unchanged', () =>
    withBank(['errors-as-http-400'], async (bank) => {
      const refused = await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: MAX + 1 }));
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({ responseCode: '2040' });
      await reserveOk(bank);
      const invalid = await post(bank, '/reserveFunds', '[]');
      expect(invalid.status).toBe(400);
      expect(invalid.json?.['responseCode']).toBe('2090');
    }));

  it('debit-ack-500: the debit is applied once and a repeat gets 200', () =>
    withBank(['debit-ack-500'], async (bank) => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      const body = transactRequest(request, ref, 0);
      expect((await post(bank, '/transactResult', body)).status).toBe(500);
      expect((await post(bank, '/transactResult', body)).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_000);
      expect(bank.state().accounts[FUNDED.sourceIdentifier]?.balance).toBe(FUNDED.balance - 1_000);
    }));

  it('unknown-ref-200: an unmatched outcome is acknowledged and changes nothing', () =>
    withBank(['unknown-ref-200'], async (bank) => {
      const before = bank.state();
      expect((await post(bank, '/transactResult', transactRequest(reserveRequest(), 'nope', 0))).status).toBe(200);
      expect(bank.state()).toEqual(before);
    }));
});
