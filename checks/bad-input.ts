import type { z } from 'zod';
import { ReserveFundsRequestSchema, type ReserveFundsRequest } from './protocol.ts';

export type BadInputCategory = 'missing' | 'wrong type' | 'oversized' | 'empty' | 'amount' | 'identifier' | 'unicode' | 'malformed';

/** One hostile request: a body (exact bytes to send) and the content type to send it with. */
export interface BadInputCase {
  category: BadInputCategory;
  name: string;
  body: string;
  contentType: string;
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
 * hand-kept list), so a field added to the schema is attacked too. Each case breaks exactly one thing;
 * the bank must answer none of them with 0000.
 */
export function badInputCases(base: ReserveFundsRequest): BadInputCase[] {
  const cases: BadInputCase[] = [];
  const add = (category: BadInputCategory, name: string, body: string, contentType = JSON_TYPE) => cases.push({ category, name, body, contentType });

  for (const [field, schema, required] of fieldsOf()) {
    const isString = schema.def.type === 'string';
    if (required) {
      const { [field]: _dropped, ...rest } = base;
      add('missing', `${field} missing`, JSON.stringify(rest));
    }
    add('wrong type', `${field} of the wrong type`, withField(base, field, isString ? 12345 : 'abc'));
    add('wrong type', `${field} null`, withField(base, field, null));
    if (isString && typeof schema.maxLength === 'number') {
      add('oversized', `${field} over ${schema.maxLength} characters`, withField(base, field, 'x'.repeat(schema.maxLength + 1)));
    }
    if (!isString && typeof schema.maxValue === 'number' && schema.maxValue < Number.MAX_SAFE_INTEGER) {
      add('oversized', `${field} over its digit limit`, withField(base, field, schema.maxValue + 1));
    }
    if (isString && required) add('empty', `${field} empty`, withField(base, field, ''));
    if (!isString) add('wrong type', `${field} fractional`, withField(base, field, 1.5));
  }

  for (const field of AMOUNTS) {
    add('amount', `${field} negative`, withField(base, field, -1));
    add('amount', `${field} huge (10^15)`, withField(base, field, 1e15));
  }
  add('amount', 'all amounts zero', JSON.stringify({ ...base, purchaseAmount: 0, reserveAmount: 0, feeAmount: 0, clientShareAmount: 0, settlementAmount: 0 }));
  add('amount', 'reserveAmount as a numeric string', withField(base, 'reserveAmount', String(base.reserveAmount)));

  add('identifier', 'sourceIdentifier with markup', withField(base, 'sourceIdentifier', '<script>1</script>'));
  add('identifier', 'sourceIdentifier with SQL', withField(base, 'sourceIdentifier', "1' OR '1'='1"));
  add('identifier', 'sourceIdentifier with spaces', withField(base, 'sourceIdentifier', `${base.sourceIdentifier} `));
  add('identifier', 'timestamp not ISO-8601', withField(base, 'timestamp', 'yesterday'));

  add('unicode', 'sourceIdentifier with a NUL byte', withField(base, 'sourceIdentifier', `${base.sourceIdentifier}\u0000`));
  add('unicode', 'sourceIdentifier with a right-to-left override', withField(base, 'sourceIdentifier', `\u202e${base.sourceIdentifier}`));
  add('unicode', 'sourceIdentifier with a zero-width space', withField(base, 'sourceIdentifier', `${base.sourceIdentifier.slice(0, 3)}\u200b${base.sourceIdentifier.slice(3)}`));
  add('unicode', 'sourceIdentifier with a lone surrogate', JSON.stringify({ ...base, sourceIdentifier: 'X' }).replace('"X"', '"\\ud800"'));
  add('unicode', 'sourceIdentifier of full-width digits', withField(base, 'sourceIdentifier', base.sourceIdentifier.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))));

  const valid = JSON.stringify(base);
  add('malformed', 'truncated JSON', valid.slice(0, Math.floor(valid.length / 2)));
  add('malformed', 'empty body', '');
  add('malformed', 'JSON array instead of an object', JSON.stringify([base]));
  add('malformed', 'JSON null', 'null');
  add('malformed', 'form-encoded body', `raasTxnRef=${encodeURIComponent(base.raasTxnRef)}&reserveAmount=${base.reserveAmount}`, 'application/x-www-form-urlencoded');
  add('malformed', 'XML body', `<reserveFunds><raasTxnRef>${base.raasTxnRef}</raasTxnRef></reserveFunds>`, 'application/xml');
  add('malformed', 'duplicate key overriding an amount', valid.replace(/}$/, `,"reserveAmount":-${base.reserveAmount}}`));
  add('malformed', '1 MB clientTxnRef', withField(base, 'clientTxnRef', 'x'.repeat(1024 * 1024)));
  return cases;
}
