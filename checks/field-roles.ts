import type { ReserveFundsRequest } from './protocol.ts';

/**
 * What the bank does with a reserveFunds field. The walkthrough has the bank validate the amount
 * against its limits, find the account from the buyer's identifier, check the auth code, the account
 * status and the funds, and keep the references: those fields are acted on. Every other field is
 * informational: a bank may ignore it, and granting a request whose informational field is odd is not
 * wrong. `authCode` is acted on only where the account asks for one.
 */
export type FieldRole = 'acted-on' | 'informational' | 'acted-on-where-the-account-has-an-auth-code';

/** A field's role once the account it is sent to is known. */
export type ResolvedRole = Exclude<FieldRole, 'acted-on-where-the-account-has-an-auth-code'>;

/** A `Record` over the request's keys: a field added to the request schema cannot be left without a role. */
export const RESERVE_FIELD_ROLES: Record<keyof ReserveFundsRequest, FieldRole> = {
  clientTxnRef: 'acted-on',
  raasTxnRef: 'acted-on',
  productId: 'informational',
  productType: 'informational',
  purchaseAmount: 'informational',
  reserveAmount: 'acted-on',
  feeAmount: 'informational',
  clientShareAmount: 'informational',
  settlementAmount: 'informational',
  sourceIdentifier: 'acted-on',
  targetIdentifier: 'informational',
  channelId: 'informational',
  channelName: 'informational',
  channelSessionId: 'informational',
  authCode: 'acted-on-where-the-account-has-an-auth-code',
  timestamp: 'informational',
  accountIdentifier: 'informational',
};

export function fieldRole(field: keyof ReserveFundsRequest, account: { hasAuthCode: boolean }): ResolvedRole {
  const role = RESERVE_FIELD_ROLES[field];
  if (role === 'acted-on-where-the-account-has-an-auth-code') return account.hasAuthCode ? 'acted-on' : 'informational';
  return role;
}

/** Fields the bank acts on whatever the account (authCode is not among them). */
export const ALWAYS_ACTED_ON = (Object.keys(RESERVE_FIELD_ROLES) as (keyof ReserveFundsRequest)[]).filter((f) => RESERVE_FIELD_ROLES[f] === 'acted-on');
