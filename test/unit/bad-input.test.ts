import { describe, expect, it } from 'vitest';
import { badInputCases } from '../../checks/bad-input.ts';
import { ReserveFundsRequestSchema, type ReserveFundsRequest } from '../../checks/protocol.ts';

const BASE: ReserveFundsRequest = {
  clientTxnRef: 'c-1', raasTxnRef: 'r-1', productId: 110, purchaseAmount: 1000, reserveAmount: 1000, feeAmount: 0,
  clientShareAmount: 50, settlementAmount: 950, sourceIdentifier: '27820000001', targetIdentifier: '27820000001',
  channelId: 7, channelName: 'USSD', timestamp: '2026-01-01T00:00:00.000Z',
};

describe('hostile reserveFunds requests generated from the schema', () => {
  const cases = badInputCases(BASE);

  it('the base request is valid, so each case breaks exactly what it says', () => {
    expect(ReserveFundsRequestSchema.safeParse(BASE).success).toBe(true);
  });

  it('covers every required field as missing and every field as mistyped', () => {
    for (const [field, schema] of Object.entries(ReserveFundsRequestSchema.shape)) {
      if ((schema as { def: { type: string } }).def.type !== 'optional') expect(cases.some((c) => c.name === `${field} missing`)).toBe(true);
      expect(cases.some((c) => c.name === `${field} of the wrong type`)).toBe(true);
    }
  });

  it('no JSON case is accepted by the request schema (the bank must refuse them all)', () => {
    const accepted = cases
      .filter((c) => c.contentType === 'application/json' && c.category !== 'identifier' && c.category !== 'unicode')
      .filter((c) => {
        try {
          return ReserveFundsRequestSchema.safeParse(JSON.parse(c.body)).success;
        } catch {
          return false;
        }
      })
      .map((c) => c.name);
    // Business rules (not the schema) refuse these: zero and huge amounts within digit limits, a numeric string.
    expect(accepted.filter((n) => !/all amounts zero/.test(n))).toEqual([]);
  });

  it('has every category the issue asks for, with a 1 MB body', () => {
    expect(new Set(cases.map((c) => c.category))).toEqual(new Set(['missing', 'wrong type', 'oversized', 'empty', 'amount', 'identifier', 'unicode', 'malformed']));
    expect(cases.some((c) => c.body.length > 1024 * 1024)).toBe(true);
  });
});
