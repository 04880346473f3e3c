import { setTimeout as sleep } from 'node:timers/promises';
import { CLEANUP_OUTCOME, DISPENSED } from '../checks/codes.ts';
import type { TransactResultRequest } from '../checks/protocol.ts';
import { KNOWN_FAILURE_CODES, type FaultName } from './faults.ts';
import type { Ledger, Reservation } from './ledger.ts';

export type TransactOutcome = 'debited' | 'released' | 'already-finished' | 'unknown' | 'unrecognised-outcome';

/** What the decision reads; the minimal bank does not read raasTxnRef at all. */
export type TransactInput = Pick<TransactResultRequest, 'reserveFundsTxnRef' | 'responseCode'> & Partial<Pick<TransactResultRequest, 'raasTxnRef'>>;

/** race-double-debit's gap between checking a reservation and debiting it, as a database round trip would be. */
export const RACE_GAP_MS = 25;

interface Match {
  reservation: Reservation;
  /** Found through the timeout-cancel fallback (by raasTxnRef), not by the bank's own reference. */
  byCancel: boolean;
}

/**
 * transactResult's decisions. Asynchronous only so race-double-debit can pause between check and act;
 * the compliant path never awaits before it changes the ledger, so its check-then-act stays atomic.
 */
export function createTransactResult(
  ledger: Ledger,
  faults: ReadonlySet<FaultName>,
  options: { matchCancel: boolean; beforeLookup?: () => void } = { matchCancel: true },
): (request: TransactInput) => Promise<TransactOutcome> {
  function match(request: TransactInput): Match | undefined {
    const ref = request.reserveFundsTxnRef;
    const raas = request.raasTxnRef;
    // With repeating references the reference alone is ambiguous; together with raasTxnRef it is not.
    const direct = faults.has('repeating-references') ? ledger.findByPair(ref, raas ?? '') : ledger.findByReference(ref);
    if (direct) return { reservation: direct, byCancel: false };
    // Timeout cancel (docs/checks.md, SF-TIMEOUT-CANCEL): the platform never saw our reference and sends '' or its own.
    if (raas === undefined || !options.matchCancel) return undefined;
    const isCancel = ref === '' || ref === raas;
    if (!isCancel || faults.has('unmatched-cancel')) return undefined;
    const cancelled = ledger.findByRaasTxnRef(raas);
    return cancelled && { reservation: cancelled, byCancel: true };
  }

  async function debit(reservation: Reservation): Promise<TransactOutcome> {
    if (faults.has('double-debit-on-retry') && reservation.state !== 'released') {
      ledger.debitUnguarded(reservation);
      return 'debited';
    }
    if (faults.has('race-double-debit') && reservation.state === 'held') {
      // Acts on a check that may be stale by now: every delivery that arrived during the gap debits too.
      await sleep(RACE_GAP_MS);
      ledger.debitUnguarded(reservation);
      return 'debited';
    }
    return ledger.finish(reservation, 'debited') ? 'debited' : 'already-finished';
  }

  function release({ reservation, byCancel }: Match): TransactOutcome {
    // The cancel keeps releasing properly: a cancel that leaves money held is SF-TIMEOUT-CANCEL's rule, not this fault's.
    if (faults.has('no-release') && !byCancel) return ledger.releaseKeepingHold(reservation) ? 'released' : 'already-finished';
    return ledger.finish(reservation, 'released') ? 'released' : 'already-finished';
  }

  return async (request) => {
    options.beforeLookup?.();
    const found = match(request);
    if (!found) return 'unknown';
    if (request.responseCode === DISPENSED) return debit(found.reservation);
    // A bank that only knows the failure codes it saw in testing treats every other one as "dispensed".
    if (faults.has('release-known-codes') && !(KNOWN_FAILURE_CODES as readonly number[]).includes(request.responseCode)) return debit(found.reservation);
    const outcome = release(found);
    // Its table of platform failure codes was copied without 2226: the release happens, the answer fails.
    if (faults.has('failure-code-2226-500') && request.responseCode === CLEANUP_OUTCOME) return 'unrecognised-outcome';
    return outcome;
  };
}
