import type { Plan } from './plan.ts';

/**
 * The load suite's per-iteration records: everything the certificate needs from an iteration (its
 * references, both answers' HTTP status, the responseCode and bank reference, both requests' durations
 * and when things happened), written by each VU in batches instead of k6's raw samples (which cost
 * more than all of the harness's own work: bench/RESULTS.md).
 *
 * A VU announces its reference prefix before its first request (LoadRefsEvent) and numbers its
 * iterations 1, 2, 3…; each batch (LoadRecordsEvent) holds consecutive iterations of one VU and says
 * the highest number the VU may reach before its next line (`upto`), so the CLI can keep every
 * reference that may leave on record before it leaves (scripts/run/event-ledger.ts).
 */

/** Written once per VU, before its first request: references `${prefix}${n}-c/-r` for n = 1…upto may follow. */
export interface LoadRefsEvent {
  t: 'refs';
  prefix: string;
  /** Highest reference number the VU may send before its first batch line (1 in older runs: absent). */
  upto?: number;
}

/**
 * One record, as an array (short lines, cheap to write in k6 and to parse in Node). Times are whole
 * milliseconds (k6's Date.now()) after the batch's `base`; durations are k6's `res.timings.duration`,
 * the value k6 puts in its http_req_duration sample:
 *
 * [account, start, lag, status, code, ref, duration, end]                                  (no outcome sent)
 * [account, start, lag, status, code, ref, duration, end, outcome, outcomeStatus, outcomeDuration, outcomeEnd]
 *
 * account: index into loadAccountRoles(plan); start: when the reserveFunds was built (its timestamp);
 * lag: how late the iteration started against the schedule, ms (null in the bench's closed model);
 * status: reserveFunds HTTP status (0: no answer); code: the normalised responseCode ('' without one);
 * ref: the bank's reserveFundsTxnRef (''); end: when the reserveFunds answer (or its failure) came back,
 * which is also the outcome's timestamp; outcome: the transactResult responseCode sent.
 */
export type RecordRow =
  | [number, number, number | null, number, string, string, number, number]
  | [number, number, number | null, number, string, string, number, number, string, number, number, number];

/** A batch of one VU's consecutive iterations `from`, `from + 1`, …, written when the batch is due. */
export interface LoadRecordsEvent {
  t: 'recs';
  prefix: string;
  /** Reference number of the first record. */
  from: number;
  /** Highest reference number the VU may send before its next line. */
  upto: number;
  /** Epoch milliseconds the records' times count from. */
  base: number;
  r: RecordRow[];
}

/**
 * Written by k6's handleSummary after the test: the iterations the VUs began (a record missing for one
 * of them means it was cut short) and the ones k6 dropped for want of a free VU. One per k6 process.
 */
export interface LoadEndEvent {
  t: 'end';
  started: number;
  dropped: number;
}

/** One iteration, decoded. Times are epoch milliseconds. */
export interface IterationRecord {
  seq: number;
  /** Account role ("load:3", "funded"). */
  account: string;
  startMs: number;
  lagMs: number | null;
  status: number;
  code: string;
  ref: string;
  durationMs: number;
  endMs: number;
  /** transactResult responseCode sent; '' when none was sent (then the outcome figures are 0). */
  outcome: string;
  outcomeStatus: number;
  outcomeDurationMs: number;
  outcomeEndMs: number;
}

/** The characters JSON.stringify escapes: quote, backslash, controls, and surrogates. */
export const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON, exactly as JSON.stringify writes it: between quotes when it needs no escaping (the common case). */
export function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** The roles of the accounts the load suite rotates through, in the order a record's account index counts. */
export function loadAccountRoles(plan: Plan): string[] {
  const pool = plan.accounts.load;
  return pool.length > 0 ? pool.map((_, i) => `load:${i}`) : plan.accounts.funded ? ['funded'] : [];
}

/** The records of a batch, numbered; `roles` from loadAccountRoles of the run's plan. */
export function decodeRecords(e: LoadRecordsEvent, roles: readonly string[]): IterationRecord[] {
  const out = new Array<IterationRecord>(e.r.length);
  for (let i = 0; i < e.r.length; i++) {
    const r = e.r[i] as RecordRow;
    const sent = r.length > 8;
    out[i] = {
      seq: e.from + i,
      account: roles[r[0]] ?? `load:${r[0]}`,
      startMs: e.base + r[1],
      lagMs: r[2],
      status: r[3],
      code: r[4],
      ref: r[5],
      durationMs: r[6],
      endMs: e.base + r[7],
      outcome: sent ? (r[8] as string) : '',
      outcomeStatus: sent ? (r[9] as number) : 0,
      outcomeDurationMs: sent ? (r[10] as number) : 0,
      outcomeEndMs: sent ? e.base + (r[11] as number) : 0,
    };
  }
  return out;
}
