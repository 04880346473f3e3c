import type { LedgerEntry } from './events.ts';
import type { LedgerSummary } from './result.ts';

// The money model of a run: which reservations the bank granted and which of them an acknowledged
// outcome finished. Pure, so the run, its judges and `bankcert reconcile` all read the ledger one way.

export type LedgerRow = LedgerEntry & { by: 'scenario' | 'cleanup' };

/** A reservation the bank granted (0000) and the outcome, if any, it acknowledged. */
export interface Reservation {
  /** The 0000 answer; for an unanswered request, the 'sent' row (its reserveFundsTxnRef is unknown: ''). */
  reserve: LedgerRow;
  /**
   * No answer the harness could read came back (none at all, or one without a responseCode): the bank
   * may or may not hold funds for it, so it is cancelled by raasTxnRef.
   */
  unanswered?: boolean;
  /** The acknowledged (HTTP 200) outcome, first one wins. */
  settled?: LedgerRow;
}

/**
 * Reservations keyed by (raasTxnRef, reserveFundsTxnRef): a bank that wrongly holds a repeated
 * reserveFunds twice hands out two references for one raasTxnRef, and both must be finished.
 * An acknowledged outcome settles the reservation it names; a cancel without a bank reference
 * (empty, or the raasTxnRef: docs/checks.md, SF-TIMEOUT-CANCEL) settles every reservation of its raasTxnRef.
 */
export function reservations(rows: readonly LedgerRow[]): Map<string, Reservation> {
  const key = (raas: string, ref: string) => `${raas}\u0000${ref}`;
  const byKey = new Map<string, Reservation>();
  const answered = new Set<string>();
  const unsent = new Set(rows.filter((r) => r.kind === 'unsent').map((r) => r.raasTxnRef));
  for (const row of rows) {
    if (row.kind !== 'reserve') continue;
    // An answer counts only when it says what the bank did: a body without a responseCode (not JSON,
    // cut off) leaves the reservation as unknown as no answer at all.
    if (row.httpStatus !== 0 && row.code !== '') answered.add(row.raasTxnRef);
    const k = key(row.raasTxnRef, row.reserveFundsTxnRef);
    if (row.code === '0000' && !byKey.has(k)) byKey.set(k, { reserve: row });
  }
  for (const row of rows) {
    if (row.kind === 'sent' && !answered.has(row.raasTxnRef) && !unsent.has(row.raasTxnRef) && !byKey.has(key(row.raasTxnRef, ''))) {
      byKey.set(key(row.raasTxnRef, ''), { reserve: row, unanswered: true });
    }
  }
  for (const row of rows) {
    if (row.kind !== 'outcome' || (row.httpStatus !== 200 && row.httpStatus !== 404)) continue;
    const byRaas = row.reserveFundsTxnRef === '' || row.reserveFundsTxnRef === row.raasTxnRef;
    const candidates = byRaas
      ? [...byKey.values()].filter((v) => v.reserve.raasTxnRef === row.raasTxnRef)
      : [byKey.get(key(row.raasTxnRef, row.reserveFundsTxnRef))];
    for (const r of candidates) {
      // 404 to a cancel of an unanswered request means the bank never made that reservation.
      if (r && !r.settled && (row.httpStatus === 200 || r.unanswered)) r.settled = row;
    }
  }
  return byKey;
}

export function openReservations(rows: readonly LedgerRow[]): Reservation[] {
  return [...reservations(rows).values()].filter((r) => !r.settled);
}

/**
 * Load iterations a run finished and no longer holds row by row (scripts/ledger/ledger.ts, LedgerFile):
 * their rows are in ledger.ndjson, and what the judges read from them is here. Only an iteration whose
 * rows nothing else in the ledger can touch is settled this way: a load reference is used once, so a
 * reservation granted and then acknowledged (or a reserveFunds refused with a code) is final. Every
 * function that takes one gives what it gives for the same rows in full (ledger.test.ts).
 */
export interface SettledTally {
  /** Granted (0000) and finished by an acknowledged outcome: debited (outcome 0) or released. */
  debited: number;
  released: number;
  /** Answered with a responseCode other than 0000. */
  refused: number;
  /**
   * reserveFundsTxnRef → raasTxnRef of each granted one (RF-REF-UNIQUE); a reference given twice keeps every
   * raasTxnRef. Empty when the run does not judge RF-REF-UNIQUE (no safety suite): it is the one part that
   * grows with the run.
   */
  refs: Map<string, string | string[]>;
}

export function emptyTally(): SettledTally {
  return { debited: 0, released: 0, refused: 0, refs: new Map() };
}

/** Adds one settled load iteration: its reserveFunds answer and, when granted, the acknowledged outcome's code. */
export function settle(
  tally: SettledTally,
  raasTxnRef: string,
  answer: { code: string; reserveFundsTxnRef: string },
  outcomeCode?: string,
  keepReference = true,
): void {
  if (answer.code !== '0000') {
    tally.refused += 1;
    return;
  }
  if (outcomeCode === '0') tally.debited += 1;
  else tally.released += 1;
  if (answer.reserveFundsTxnRef === '' || !keepReference) return;
  const seen = tally.refs.get(answer.reserveFundsTxnRef);
  tally.refs.set(answer.reserveFundsTxnRef, seen === undefined ? raasTxnRef : [...(typeof seen === 'string' ? [seen] : seen), raasTxnRef]);
}

/** Whether a load iteration's rows can be settled (see SettledTally): answered with a code, and refused or acknowledged. */
export function settles(answer: { httpStatus: number; code: string }, outcome?: { httpStatus: number }): boolean {
  if (answer.httpStatus === 0 || answer.code === '') return false;
  return answer.code !== '0000' || outcome?.httpStatus === 200;
}

export function summariseLedger(rows: readonly LedgerRow[], settled?: SettledTally): LedgerSummary {
  // A request whose answer was lost, cancelled and answered 404, never became a reservation at the bank:
  // it is in the ledger (and the CSV), but not in the figures.
  const all = [...reservations(rows).values()].filter((r) => !(r.unanswered && r.settled?.httpStatus === 404));
  const finished = all.filter((r) => r.settled);
  const folded = settled ?? emptyTally();
  return {
    reservations: all.length + folded.debited + folded.released,
    debited: finished.filter((r) => r.settled?.code === '0').length + folded.debited,
    released: finished.filter((r) => r.settled?.code !== '0' && r.settled?.httpStatus === 200).length + folded.released,
    refused: rows.filter((r) => r.kind === 'reserve' && r.httpStatus !== 0 && r.code !== '' && r.code !== '0000').length + folded.refused,
    open: all.length - finished.length,
    cleanedUp: finished.filter((r) => r.settled?.by === 'cleanup').length,
  };
}
