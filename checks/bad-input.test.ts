import { describe, expect, it } from 'vitest';
import { badInputCases, type BadInputCase } from './bad-input.ts';
import { RESERVE_FIELD_ROLES } from './field-roles.ts';
import { ReserveFundsRequestSchema, type ReserveFundsRequest } from './protocol.ts';

const BASE: ReserveFundsRequest = {
  clientTxnRef: 'c-1',
  raasTxnRef: 'r-1',
  productId: 110,
  purchaseAmount: 1000,
  reserveAmount: 1000,
  feeAmount: 0,
  clientShareAmount: 50,
  settlementAmount: 950,
  sourceIdentifier: '27820000001',
  targetIdentifier: '27820000001',
  channelId: 7,
  channelName: 'USSD',
  timestamp: '2026-01-01T00:00:00.000Z',
};
const WITH_PIN: ReserveFundsRequest = { ...BASE, authCode: '1234' };

const names = (cases: readonly BadInputCase[], check: BadInputCase['check']) => cases.filter((c) => c.check === check).map((c) => c.name);

describe('hostile reserveFunds requests generated from the schema', () => {
  const cases = badInputCases(BASE, { hasAuthCode: false });
  const pinCases = badInputCases(WITH_PIN, { hasAuthCode: true });

  it('the base requests are valid, so each case breaks exactly what it says', () => {
    expect(ReserveFundsRequestSchema.safeParse(BASE).success).toBe(true);
    expect(ReserveFundsRequestSchema.safeParse(WITH_PIN).success).toBe(true);
  });

  it('covers every required field as missing and every field as mistyped', () => {
    for (const [field, schema] of Object.entries(ReserveFundsRequestSchema.shape)) {
      if ((schema as { def: { type: string } }).def.type !== 'optional') expect(cases.some((c) => c.name === `${field} missing`)).toBe(true);
      expect(cases.some((c) => c.name === `${field} of the wrong type`)).toBe(true);
    }
  });

  it('no JSON case is accepted by the request schema, except the identifier spellings the schema cannot see', () => {
    const accepted = [...cases, ...pinCases]
      .filter((c) => c.contentType === 'application/json')
      .filter((c) => {
        try {
          return ReserveFundsRequestSchema.safeParse(JSON.parse(c.body)).success;
        } catch {
          return false;
        }
      })
      .map((c) => c.name);
    // Business rules (not the schema) refuse these: an identifier no account has, a zero amount, a wrong auth code.
    expect([...new Set(accepted)].sort()).toEqual([
      'all amounts zero',
      'authCode empty',
      'authCode missing',
      'sourceIdentifier of full-width digits',
      'sourceIdentifier with SQL',
      'sourceIdentifier with a NUL byte',
      'sourceIdentifier with a lone surrogate',
      'sourceIdentifier with a right-to-left override',
      'sourceIdentifier with a trailing space',
      'sourceIdentifier with a zero-width space',
      'sourceIdentifier with markup',
    ]);
  });

  it('has every category, with a 1 MB body', () => {
    expect(new Set(cases.map((c) => c.category))).toEqual(
      new Set(['missing', 'wrong type', 'oversized', 'empty', 'amount', 'identifier', 'unicode', 'malformed']),
    );
    expect(cases.some((c) => c.body.length > 1024 * 1024)).toBe(true);
  });
});

describe('each case carries the role of what it attacks', () => {
  const cases = badInputCases(BASE, { hasAuthCode: false });

  it('every field case has the role the table gives its field; a body as a whole is acted on', () => {
    for (const c of cases) {
      if (c.field === undefined) expect(c.role).toBe('acted-on');
      else if (c.field === 'authCode') expect(c.role).toBe('informational');
      else expect(c.role).toBe(RESERVE_FIELD_ROLES[c.field]);
    }
    expect(cases.filter((c) => c.field === undefined).every((c) => c.category === 'malformed')).toBe(true);
  });

  it('SEC-BAD-INPUT gets the malformed bodies and hostile or missing acted-on fields; informational fields go to SEC-STRICT-INPUT', () => {
    for (const c of cases) expect(c.check).toBe(c.role === 'acted-on' && !c.normalisable ? 'SEC-BAD-INPUT' : 'SEC-STRICT-INPUT');
    const must = names(cases, 'SEC-BAD-INPUT');
    const should = names(cases, 'SEC-STRICT-INPUT');
    for (const field of ['clientTxnRef', 'raasTxnRef', 'reserveAmount', 'sourceIdentifier']) {
      expect(must).toEqual(expect.arrayContaining([`${field} missing`, `${field} of the wrong type`, `${field} null`]));
    }
    expect(must).toEqual(
      expect.arrayContaining([
        'reserveAmount negative',
        'reserveAmount huge (10^15)',
        'reserveAmount as a numeric string',
        'all amounts zero',
        'truncated JSON',
        '1 MB clientTxnRef',
      ]),
    );
    // The false failures of a bank that ignores what it never reads: none of these may fail certification.
    expect(should).toEqual(
      expect.arrayContaining([
        'productId over its digit limit',
        'productType of the wrong type',
        'productType null',
        'productType fractional',
        'purchaseAmount over its digit limit',
        'timestamp not ISO-8601',
        'targetIdentifier missing',
      ]),
    );
    expect(
      must.filter((n) =>
        /^(productId|productType|purchaseAmount|feeAmount|clientShareAmount|settlementAmount|targetIdentifier|channel|timestamp|accountIdentifier)/.test(n),
      ),
    ).toEqual([]);
  });

  it('hostile identifiers are a must; spellings a bank may normalise to the same account are a should', () => {
    const identifier = cases.filter((c) => c.field === 'sourceIdentifier' && (c.category === 'identifier' || c.category === 'unicode'));
    expect(names(identifier, 'SEC-BAD-INPUT').sort()).toEqual([
      'sourceIdentifier with SQL',
      'sourceIdentifier with a NUL byte',
      'sourceIdentifier with a lone surrogate',
      'sourceIdentifier with a right-to-left override',
      'sourceIdentifier with markup',
    ]);
    expect(names(identifier, 'SEC-STRICT-INPUT').sort()).toEqual([
      'sourceIdentifier of full-width digits',
      'sourceIdentifier with a trailing space',
      'sourceIdentifier with a zero-width space',
    ]);
    expect(identifier.filter((c) => c.normalisable).every((c) => c.role === 'acted-on')).toBe(true);
  });
});

describe('the auth code is acted on only where the account has one', () => {
  const authCases = (base: ReserveFundsRequest, hasAuthCode: boolean) => badInputCases(base, { hasAuthCode }).filter((c) => c.field === 'authCode');

  it('on an account with an auth code, a missing, mistyped, oversized or empty code is a must (a wrong PIN)', () => {
    const onPin = authCases(WITH_PIN, true);
    expect(onPin.map((c) => c.name).sort()).toEqual([
      'authCode empty',
      'authCode missing',
      'authCode null',
      'authCode of the wrong type',
      'authCode over 64 characters',
    ]);
    expect(onPin.every((c) => c.role === 'acted-on' && c.check === 'SEC-BAD-INPUT')).toBe(true);
    expect(JSON.parse(onPin.find((c) => c.name === 'authCode missing')!.body)).not.toHaveProperty('authCode');
  });

  it('on an account without one, odd codes are informational and an absent one is no case at all', () => {
    const noPin = authCases(BASE, false);
    expect(noPin.map((c) => c.name).sort()).toEqual(['authCode null', 'authCode of the wrong type', 'authCode over 64 characters']);
    expect(noPin.every((c) => c.role === 'informational' && c.check === 'SEC-STRICT-INPUT')).toBe(true);
  });

  it('a mistyped code is never the number a lenient bank could read as the right code', () => {
    const mistyped = (pin: string) =>
      JSON.parse(authCases({ ...BASE, authCode: pin }, true).find((c) => c.name === 'authCode of the wrong type')!.body).authCode;
    expect(mistyped('1234')).toBe(12345);
    expect(mistyped('12345')).toBe(54321);
  });

  it('only the auth code changes role with the account', () => {
    const without = badInputCases(BASE, { hasAuthCode: false }).filter((c) => c.field !== 'authCode');
    const withPin = badInputCases(WITH_PIN, { hasAuthCode: true }).filter((c) => c.field !== 'authCode');
    expect(withPin.map((c) => [c.name, c.check])).toEqual(without.map((c) => [c.name, c.check]));
  });
});
