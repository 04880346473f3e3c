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

export function summariseLedger(rows: readonly LedgerRow[]): LedgerSummary {
  // A request whose answer was lost, cancelled and answered 404, never became a reservation at the bank:
  // it is in the ledger (and the CSV), but not in the figures.
  const all = [...reservations(rows).values()].filter((r) => !(r.unanswered && r.settled?.httpStatus === 404));
  const settled = all.filter((r) => r.settled);
  return {
    reservations: all.length,
    debited: settled.filter((r) => r.settled?.code === '0').length,
    released: settled.filter((r) => r.settled?.code !== '0' && r.settled?.httpStatus === 200).length,
    refused: rows.filter((r) => r.kind === 'reserve' && r.httpStatus !== 0 && r.code !== '' && r.code !== '0000').length,
    open: all.length - settled.length,
    cleanedUp: settled.filter((r) => r.settled?.by === 'cleanup').length,
  };
}
