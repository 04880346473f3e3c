import type { z } from 'zod';
import { fieldRole, RESERVE_FIELD_ROLES, type ResolvedRole } from './field-roles.ts';
import { ReserveFundsRequestSchema, type ReserveFundsRequest } from './protocol.ts';

export type BadInputCategory = 'missing' | 'wrong type' | 'oversized' | 'empty' | 'amount' | 'identifier' | 'unicode' | 'malformed';

/** The check that judges a case: hostile acted-on values and malformed bodies must be refused; the rest should be. */
export type BadInputCheck = 'SEC-BAD-INPUT' | 'SEC-STRICT-INPUT';

/** One hostile request: a body (exact bytes to send), the content type to send it with, and what it attacks. */
export interface BadInputCase {
  category: BadInputCategory;
  name: string;
  body: string;
  contentType: string;
  /** The field the case attacks; absent when it breaks the body as a whole. */
  field?: Field;
  /** What the bank does with what the case attacks, on the account the case is meant for (a body as a whole: acted on). */
  role: ResolvedRole;
  /**
   * Another spelling of the buyer's identifier that a bank may map to the same account (trailing space,
   * zero-width space, full-width digits): it reaches nobody else's money, so refusing it is good practice, not a must.
   */
  normalisable?: true;
  check: BadInputCheck;
}

type Field = keyof ReserveFundsRequest;
type AnySchema = z.ZodType & { def: { type: string }; unwrap?: () => AnySchema; maxLength?: number | null; maxValue?: number | null };

const AMOUNTS: readonly Field[] = ['purchaseAmount', 'reserveAmount', 'feeAmount', 'clientShareAmount', 'settlementAmount'];
const JSON_TYPE = 'application/json';

function fieldsOf(): [Field, AnySchema, boolean][] {
  return Object.entries(ReserveFundsRequestSchema.shape).map(([name, schema]) => {
    const s = schema as unknown as AnySchema;
    const optional = s.def.type === 'optional';
    return [name as Field, optional && s.unwrap ? s.unwrap() : s, !optional];
  });
}

const withField = (base: ReserveFundsRequest, field: string, value: unknown) => JSON.stringify({ ...base, [field]: value });

/**
 * Hostile variants of one valid reserveFunds request, generated from the request schema itself (not a
 * hand-kept list), so a field added to the schema is attacked too. Each case breaks exactly one thing
 * and carries the role of what it breaks on `account` (the account `base` is for): an auth code is acted
 * on, and so must be present and well-formed, only where the account asks for one.
 */
export function badInputCases(base: ReserveFundsRequest, account: { hasAuthCode: boolean }): BadInputCase[] {
  const cases: BadInputCase[] = [];
  const add = (category: BadInputCategory, name: string, body: string, field?: Field, normalisable = false, contentType = JSON_TYPE) => {
    const role: ResolvedRole = field === undefined ? 'acted-on' : fieldRole(field, account);
    const check: BadInputCheck = role === 'acted-on' && !normalisable ? 'SEC-BAD-INPUT' : 'SEC-STRICT-INPUT';
    cases.push({
      category,
      name,
      body,
      contentType,
      ...(field === undefined ? {} : { field }),
      role,
      ...(normalisable ? { normalisable: true as const } : {}),
      check,
    });
  };

  for (const [field, schema, required] of fieldsOf()) {
    const isString = schema.def.type === 'string';
    // An account with an auth code needs one on every request: for it, a missing or empty code is a wrong code.
    const requiredHere = required || (RESERVE_FIELD_ROLES[field] === 'acted-on-where-the-account-has-an-auth-code' && account.hasAuthCode);
    if (requiredHere) {
      const { [field]: _dropped, ...rest } = base;
      add('missing', `${field} missing`, JSON.stringify(rest), field);
    }
    // Never the number a lenient bank could read as the field's own value (an auth code of 12345 sent as 12345).
    const wrongNumber = base[field] === '12345' ? 54321 : 12345;
    add('wrong type', `${field} of the wrong type`, withField(base, field, isString ? wrongNumber : 'abc'), field);
    add('wrong type', `${field} null`, withField(base, field, null), field);
    if (isString && typeof schema.maxLength === 'number') {
      add('oversized', `${field} over ${schema.maxLength} characters`, withField(base, field, 'x'.repeat(schema.maxLength + 1)), field);
    }
    if (!isString && typeof schema.maxValue === 'number' && schema.maxValue < Number.MAX_SAFE_INTEGER) {
      add('oversized', `${field} over its digit limit`, withField(base, field, schema.maxValue + 1), field);
    }
    if (isString && requiredHere) add('empty', `${field} empty`, withField(base, field, ''), field);
    if (!isString) add('wrong type', `${field} fractional`, withField(base, field, 1.5), field);
  }

  for (const field of AMOUNTS) {
    add('amount', `${field} negative`, withField(base, field, -1), field);
    add('amount', `${field} huge (10^15)`, withField(base, field, 1e15), field);
  }
  // What the bank acts on here is the reserveAmount of 0; the other amounts follow it to stay consistent.
  add(
    'amount',
    'all amounts zero',
    JSON.stringify({ ...base, purchaseAmount: 0, reserveAmount: 0, feeAmount: 0, clientShareAmount: 0, settlementAmount: 0 }),
    'reserveAmount',
  );
  add('amount', 'reserveAmount as a numeric string', withField(base, 'reserveAmount', String(base.reserveAmount)), 'reserveAmount');
  add('wrong type', 'timestamp not ISO-8601', withField(base, 'timestamp', 'yesterday'), 'timestamp');

  const id = base.sourceIdentifier;
  add('identifier', 'sourceIdentifier with markup', withField(base, 'sourceIdentifier', '<script>1</script>'), 'sourceIdentifier');
  add('identifier', 'sourceIdentifier with SQL', withField(base, 'sourceIdentifier', "1' OR '1'='1"), 'sourceIdentifier');
  add('identifier', 'sourceIdentifier with a trailing space', withField(base, 'sourceIdentifier', `${id} `), 'sourceIdentifier', true);

  add('unicode', 'sourceIdentifier with a NUL byte', withField(base, 'sourceIdentifier', `${id}\u0000`), 'sourceIdentifier');
  add('unicode', 'sourceIdentifier with a right-to-left override', withField(base, 'sourceIdentifier', `\u202e${id}`), 'sourceIdentifier');
  add('unicode', 'sourceIdentifier with a lone surrogate', JSON.stringify({ ...base, sourceIdentifier: 'X' }).replace('"X"', '"\\ud800"'), 'sourceIdentifier');
  add(
    'unicode',
    'sourceIdentifier with a zero-width space',
    withField(base, 'sourceIdentifier', `${id.slice(0, 3)}\u200b${id.slice(3)}`),
    'sourceIdentifier',
    true,
  );
  add(
    'unicode',
    'sourceIdentifier of full-width digits',
    withField(
      base,
      'sourceIdentifier',
      id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    ),
    'sourceIdentifier',
    true,
  );

  const valid = JSON.stringify(base);
  add('malformed', 'truncated JSON', valid.slice(0, Math.floor(valid.length / 2)));
  add('malformed', 'empty body', '');
  add('malformed', 'JSON array instead of an object', JSON.stringify([base]));
  add('malformed', 'JSON null', 'null');
  add(
    'malformed',
    'form-encoded body',
    `raasTxnRef=${encodeURIComponent(base.raasTxnRef)}&reserveAmount=${base.reserveAmount}`,
    undefined,
    false,
    'application/x-www-form-urlencoded',
  );
  add('malformed', 'XML body', `<reserveFunds><raasTxnRef>${base.raasTxnRef}</raasTxnRef></reserveFunds>`, undefined, false, 'application/xml');
  add('malformed', 'duplicate key overriding an amount', valid.replace(/}$/, `,"reserveAmount":-${base.reserveAmount}}`), 'reserveAmount');
  add('malformed', '1 MB clientTxnRef', withField(base, 'clientTxnRef', 'x'.repeat(1024 * 1024)), 'clientTxnRef');
  return cases;
}
