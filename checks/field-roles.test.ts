import { describe, expect, it } from 'vitest';
import { ALWAYS_ACTED_ON, fieldRole, RESERVE_FIELD_ROLES } from './field-roles.ts';
import { ReserveFundsRequestSchema } from './protocol.ts';

describe('which reserveFunds fields the bank acts on', () => {
  it('gives every field of the request schema a role, and no other', () => {
    expect(Object.keys(RESERVE_FIELD_ROLES).sort()).toEqual(Object.keys(ReserveFundsRequestSchema.shape).sort());
  });

  it('acted on: the amount, the buyer, the references; the auth code where the account has one', () => {
    expect([...ALWAYS_ACTED_ON].sort()).toEqual(['clientTxnRef', 'raasTxnRef', 'reserveAmount', 'sourceIdentifier']);
    expect(fieldRole('authCode', { hasAuthCode: true })).toBe('acted-on');
    expect(fieldRole('authCode', { hasAuthCode: false })).toBe('informational');
  });

  it('everything else is informational, whatever the account', () => {
    const informational = [
      'productId',
      'productType',
      'purchaseAmount',
      'feeAmount',
      'clientShareAmount',
      'settlementAmount',
      'targetIdentifier',
      'channelId',
      'channelName',
      'channelSessionId',
      'timestamp',
      'accountIdentifier',
    ] as const;
    for (const field of informational) {
      expect(fieldRole(field, { hasAuthCode: true })).toBe('informational');
      expect(fieldRole(field, { hasAuthCode: false })).toBe('informational');
    }
    expect(informational.length + ALWAYS_ACTED_ON.length + 1).toBe(Object.keys(RESERVE_FIELD_ROLES).length);
  });
});
