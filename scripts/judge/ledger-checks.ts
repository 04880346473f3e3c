import type { Observation } from '../../checks/observation.ts';
import type { Suite } from '../../checks/ids.ts';
import type { LedgerRow } from '../ledger/ledger.ts';
import { summariseLedger } from '../ledger/ledger.ts';

/**
 * Checks judged over the whole run's ledger rather than inside one scenario: they need every
 * reservation of every suite (RF-REF-UNIQUE) or what happened after k6 ended (SF-CLEANUP).
 */
export function ledgerObservations(rows: readonly LedgerRow[], suites: readonly Suite[]): Observation[] {
  if (!suites.includes('safety')) return [];
  return [referencesUnique(rows), cleanupComplete(rows)];
}

function referencesUnique(rows: readonly LedgerRow[]): Observation {
  const raasByRef = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.kind !== 'reserve' || r.code !== '0000' || r.reserveFundsTxnRef === '') continue;
    const set = raasByRef.get(r.reserveFundsTxnRef) ?? new Set<string>();
    set.add(r.raasTxnRef);
    raasByRef.set(r.reserveFundsTxnRef, set);
  }
  const reused = [...raasByRef.entries()].filter(([, raas]) => raas.size > 1);
  const reservations = [...raasByRef.values()].reduce((n, s) => n + s.size, 0);
  const first = reused[0];
  return {
    id: 'RF-REF-UNIQUE',
    status: reused.length === 0 ? 'pass' : 'fail',
    expected: 'a distinct reserveFundsTxnRef for every reservation of the run',
    observed:
      reused.length === 0 || !first
        ? `${reservations} reservations, ${raasByRef.size} distinct references`
        : `${reused.length} reference(s) given to more than one reservation, e.g. "${first[0]}" for ${[...first[1]].slice(0, 3).join(', ')}`,
    counts: { reservations, distinctReferences: raasByRef.size, reused: reused.length },
  };
}

function cleanupComplete(rows: readonly LedgerRow[]): Observation {
  const s = summariseLedger(rows);
  return {
    id: 'SF-CLEANUP',
    status: s.open === 0 && s.reservations > 0 ? 'pass' : s.reservations === 0 ? 'skip' : 'fail',
    expected: 'every reservation of the run ends with an acknowledged outcome, after the post-run cleanup',
    observed: `${s.reservations} reservations: ${s.debited} debited, ${s.released} released (${s.cleanedUp} by the post-run cleanup), ${s.open} still open`,
    ...(s.reservations === 0 ? { reason: 'the run made no reservation' } : {}),
    counts: { ...s },
  };
}
