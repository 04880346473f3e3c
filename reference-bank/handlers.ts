import { z } from 'zod';
import type { ZodType } from 'zod';
import { ALWAYS_ACTED_ON } from '../checks/field-roles.ts';
import { firstIssue, ReserveFundsRequestSchema, TransactResultRequestSchema, type ReserveFundsRequest } from '../checks/protocol.ts';
import type { BankLogic, ReserveInput, TransactInput } from './bank-logic.ts';
import { LONG_REFERENCE_LENGTH } from './bank-logic.ts';
import type { FaultName } from './faults.ts';
import type { Personality } from './minimal.ts';
import { MinimalReserveSchema, MinimalTransactSchema } from './minimal.ts';

/** What an endpoint answers; `note` is the short word the request log shows (a code or an outcome). */
export interface HttpReply {
  status: number;
  body?: Record<string, unknown>;
  /** Sent as text/html instead of a JSON body (reflect-markup only). */
  html?: string;
  note?: string;
}

export interface Handlers {
  reserveFunds(raw: Buffer): HttpReply;
  transactResult(raw: Buffer): Promise<HttpReply>;
}

// long-reference must only break RF-SCHEMA: the bank has to take its own long reference back.
const LongReferenceTransactResultSchema = TransactResultRequestSchema.extend({
  reserveFundsTxnRef: z.string().max(LONG_REFERENCE_LENGTH),
});

// reserve-missing-field only drops the presence rule of clientTxnRef, a reference the bank must keep: the
// informational fields stay checked, so the fault breaks SEC-BAD-INPUT and not SEC-STRICT-INPUT.
const MissingFieldReserveSchema = ReserveFundsRequestSchema.partial({ clientTxnRef: true });

// lenient-informational reads only what the bank acts on; the auth code is read by the decision, where the
// account has one (bank-logic.ts), so a malformed one sent to an account without a PIN is ignored.
const ACTED_ON_MASK = Object.fromEntries(ALWAYS_ACTED_ON.map((f) => [f, true])) as { [K in keyof ReserveFundsRequest]?: true };
const LenientReserveSchema: ZodType<ReserveInput> = ReserveFundsRequestSchema.pick(ACTED_ON_MASK).extend({ authCode: z.unknown().optional() });

/** Payloads a report must escape: a script tag, and an event handler that runs without one. */
export const MARKUP_PAGE = `<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">`;
export const MARKUP_MESSAGE = `<b>ok</b><script>document.title='pwned'</script>`;

export function badRequest(message: string): HttpReply {
  return { status: 400, body: { responseCode: '2090', message }, note: '2090' };
}

function parse<T>(raw: Buffer, schema: ZodType<T>, refuse: (message: string) => HttpReply): { ok: true; value: T } | { ok: false; reply: HttpReply } {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reply: refuse('malformed JSON') };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reply: refuse(firstIssue(result.error)) };
  return { ok: true, value: result.data };
}

/** HTTP around the bank's decisions; the status-code faults live here because they are HTTP choices. */
export function createHandlers(logic: BankLogic, faults: ReadonlySet<FaultName>, personality: Personality = 'strict'): Handlers {
  const minimal = personality === 'minimal';
  const strictTransactSchema = faults.has('long-reference') ? LongReferenceTransactResultSchema : TransactResultRequestSchema;
  const strictReserveSchema: ZodType<ReserveInput> = faults.has('reserve-missing-field')
    ? MissingFieldReserveSchema
    : faults.has('lenient-informational')
      ? LenientReserveSchema
      : ReserveFundsRequestSchema;
  const transactSchema: ZodType<TransactInput> = minimal ? MinimalTransactSchema : strictTransactSchema;
  const reserveSchema: ZodType<ReserveInput> = minimal ? MinimalReserveSchema : strictReserveSchema;
  const refuse = (message: string): HttpReply => (faults.has('bad-input-500') ? { ...badRequest(message), status: 500 } : badRequest(message));
  const marked = (reply: HttpReply): HttpReply =>
    faults.has('reflect-markup') && reply.body !== undefined ? { ...reply, body: { ...reply.body, message: MARKUP_MESSAGE } } : reply;

  function reserveFunds(raw: Buffer): HttpReply {
    const parsed = parse(raw, reserveSchema, refuse);
    if (!parsed.ok) return parsed.reply;
    const answer = logic.reserveFunds(parsed.value);
    const refused = answer.responseCode !== '0000';
    const status = refused && faults.has('errors-as-http-400') ? 400 : 200;
    return { status, body: { ...answer }, note: answer.responseCode };
  }

  return {
    reserveFunds: (raw) => marked(reserveFunds(raw)),

    async transactResult(raw) {
      const parsed = parse(raw, transactSchema, refuse);
      if (!parsed.ok) return parsed.reply;
      const outcome = await logic.transactResult(parsed.value);
      switch (outcome) {
        case 'unknown':
          if (faults.has('reflect-markup')) return { status: 200, html: MARKUP_PAGE, note: outcome };
          return { status: faults.has('unknown-ref-200') ? 200 : 404, note: outcome };
        case 'debited':
          return { status: faults.has('debit-ack-500') ? 500 : 200, note: outcome };
        case 'already-finished':
          return { status: faults.has('retry-not-200') ? 409 : 200, note: outcome };
        case 'unrecognised-outcome':
          return { status: 500, note: outcome };
        case 'released':
          return { status: 200, note: outcome };
      }
    },
  };
}
