import type { Observation } from '../events.ts';
import type { Suite } from '../ids.ts';
import type { LedgerRow, Reservation, SettledTally } from '../ledger.ts';
import { openReservations, summariseLedger } from '../ledger.ts';

/**
 * Checks judged over the whole run's ledger rather than inside one scenario: they need every
 * reservation of every suite (RF-REF-UNIQUE) or what happened after k6 ended (SF-CLEANUP).
 * `outDir` names the folder `bankcert reconcile` needs when reservations stay open.
 */
export function ledgerObservations(rows: readonly LedgerRow[], suites: readonly Suite[], outDir: string, settled?: SettledTally): Observation[] {
  if (!suites.includes('safety')) return [];
  return [referencesUnique(rows, settled), cleanupComplete(rows, outDir, settled)];
}

export function referencesUnique(rows: readonly LedgerRow[], settled?: SettledTally): Observation {
  const raasByRef = new Map<string, Set<string>>();
  for (const [ref, raas] of settled?.refs ?? []) raasByRef.set(ref, new Set(typeof raas === 'string' ? [raas] : raas));
  for (const r of rows) {
    if (r.kind !== 'reserve' || r.code !== '0000' || r.reserveFundsTxnRef === '') continue;
    const set = raasByRef.get(r.reserveFundsTxnRef) ?? new Set<string>();
    set.add(r.raasTxnRef);
    raasByRef.set(r.reserveFundsTxnRef, set);
  }
  // In reference order: the example is the same whichever order the rows were read in (a run holds its
  // settled load iterations apart, bankcert verify reads the whole ledger).
  const reused = [...raasByRef.entries()].filter(([, raas]) => raas.size > 1).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const reservations = [...raasByRef.values()].reduce((n, s) => n + s.size, 0);
  const first = reused[0];
  const counts = { reservations, distinctReferences: raasByRef.size, reused: reused.length };
  const expected = 'a distinct reserveFundsTxnRef for every reservation of the run';
  if (reused.length === 0 && reservations < 2) {
    // Uniqueness needs two references to compare; fewer means the run could not see it.
    return {
      id: 'RF-REF-UNIQUE',
      status: 'inconclusive',
      expected,
      observed: `${reservations} reservation(s) granted with a reference`,
      reason: `the bank granted ${reservations} reservation(s) with a reference: too few to compare`,
      counts,
    };
  }
  return {
    id: 'RF-REF-UNIQUE',
    status: reused.length === 0 ? 'pass' : 'fail',
    expected,
    observed:
      reused.length === 0 || !first
        ? `${reservations} reservations, ${raasByRef.size} distinct references`
        : `${reused.length} reference(s) given to more than one reservation, e.g. "${first[0]}" for ${[...first[1]].sort().slice(0, 3).join(', ')}`,
    counts,
  };
}

/** The cleanup attempts made for one open reservation: same purchase, and its reference or a cancel by raasTxnRef. */
function cleanupAttempts(rows: readonly LedgerRow[], open: Reservation): LedgerRow[] {
  const { raasTxnRef, reserveFundsTxnRef } = open.reserve;
  return rows.filter(
    (r) =>
      r.kind === 'outcome' &&
      r.by === 'cleanup' &&
      r.raasTxnRef === raasTxnRef &&
      (r.reserveFundsTxnRef === reserveFundsTxnRef || r.reserveFundsTxnRef === '' || r.reserveFundsTxnRef === raasTxnRef),
  );
}

/**
 * SF-CLEANUP counts what the ledger holds, whatever the bank answered. A reservation still open after
 * the cleanup fails the check when the bank answered the cleanup without settling it (HTTP 500, or 404
 * for a reservation it had granted): the bank keeps a buyer's money. When no cleanup attempt got an
 * HTTP answer (nothing listened), the harness could not see the outcome: inconclusive, and reconcile
 * finishes the job. It passes only when the bank granted reservations and every one was finished.
 */
export function cleanupComplete(rows: readonly LedgerRow[], outDir: string, settled?: SettledTally): Observation {
  const s = summariseLedger(rows, settled);
  const counts = { ...s };
  const expected = 'every reservation of the run ends with an acknowledged outcome, after the post-run cleanup';
  const observed = `${s.reservations} reservations: ${s.debited} debited, ${s.released} released (${s.cleanedUp} by the post-run cleanup), ${s.open} still open`;
  const base = { id: 'SF-CLEANUP' as const, expected, observed, counts };
  const open = openReservations(rows);
  if (open.length > 0) {
    const answers = new Map<number, number>();
    let unreached = 0;
    for (const reservation of open) {
      const statuses = cleanupAttempts(rows, reservation)
        .map((r) => r.httpStatus)
        .filter((status) => status !== 0);
      const last = statuses.at(-1);
      if (last === undefined) unreached += 1;
      else answers.set(last, (answers.get(last) ?? 0) + 1);
    }
    const reconcile = `run \`bankcert reconcile ${outDir}\` once the bank answers`;
    if (answers.size > 0) {
      const refused = [...answers.entries()].map(([status, n]) => `HTTP ${status} for ${n}`).join(', ');
      return {
        ...base,
        status: 'fail',
        observed: `${observed}: the bank answered the cleanup without settling them (${refused})${unreached > 0 ? `; ${unreached} never reached the bank` : ''}`,
        counts: { ...counts, cleanupRefused: open.length - unreached, cleanupUnreached: unreached },
      };
    }
    const tried = open.filter((r) => cleanupAttempts(rows, r).length > 0).length;
    const why = `the bank gave no HTTP answer to the cleanup (${tried} attempted, each a transport error${tried < open.length ? `; ${open.length - tried} not attempted once it stopped answering` : ''})`;
    return {
      ...base,
      status: 'inconclusive',
      reason: `${open.length} reservation(s) still open: ${why}; ${reconcile}`,
      counts: { ...counts, cleanupRefused: 0, cleanupUnreached: unreached },
    };
  }
  if (s.reservations > 0) return { ...base, status: 'pass' };
  // A settled iteration's rows are not among `rows` (SettledTally): its reference counts once more.
  const attempts =
    new Set(rows.filter((r) => r.kind === 'sent' || r.kind === 'reserve').map((r) => r.raasTxnRef)).size +
    (settled ? settled.debited + settled.released + settled.refused : 0);
  const reason =
    attempts === 0
      ? 'the ledger holds no reserveFunds: the run never reached a reservation, so the cleanup could not be seen'
      : `the bank granted none of the run's ${attempts} reserveFunds (refused, or never answered and unknown to the bank when cancelled): no reservation to finish, so the cleanup could not be seen`;
  return { ...base, status: 'inconclusive', reason };
}
