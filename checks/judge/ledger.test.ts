import { describe, expect, it } from 'vitest';
import type { Status } from '../ids.ts';
import type { LedgerRow } from '../ledger.ts';
import { cleanupComplete, ledgerObservations, referencesUnique } from './ledger.ts';
import { ledgerRow } from '../__fixtures__/ledger-row.ts';

const row = (kind: LedgerRow['kind'], raas: string, code: string, httpStatus = 200, by: LedgerRow['by'] = 'scenario', ref = `ref-${raas}`): LedgerRow =>
  ledgerRow({ kind, raasTxnRef: raas, code, httpStatus, by, reserveFundsTxnRef: ref });

/** A granted reservation, optionally finished by the scenario with the given HTTP status. */
const granted = (raas: string, outcome?: number): LedgerRow[] => [
  row('sent', raas, '', 0),
  row('reserve', raas, '0000'),
  ...(outcome === undefined ? [] : [row('outcome', raas, '0', outcome)]),
];
/** A reserveFunds whose answer never came (k6 killed, bank gone). */
const unanswered = (raas: string): LedgerRow[] => [row('sent', raas, '', 0, 'scenario', ''), row('reserve', raas, '', 0, 'scenario', '')];
const byCleanup = (raas: string, httpStatus: number, ref = `ref-${raas}`): LedgerRow => row('outcome', raas, '2226', httpStatus, 'cleanup', ref);

describe('SF-CLEANUP counts what the ledger holds, whatever the bank answered', () => {
  const cases: { name: string; rows: LedgerRow[]; status: Status; reason?: RegExp; observed?: RegExp }[] = [
    { name: 'every reservation finished by the scenarios → pass', rows: [...granted('a', 200), ...granted('b', 200)], status: 'pass' },
    { name: 'one left open, finished by the cleanup → pass', rows: [...granted('a', 200), ...granted('b'), byCleanup('b', 200)], status: 'pass' },
    { name: 'a retried cleanup that ends in 200 → pass', rows: [...granted('a'), byCleanup('a', 500), byCleanup('a', 0), byCleanup('a', 200)], status: 'pass' },
    {
      name: 'cleanup answered 500 → fail (the bank keeps the money)',
      rows: [...granted('a', 200), ...granted('b'), byCleanup('b', 500), byCleanup('b', 500)],
      status: 'fail',
      observed: /HTTP 500 for 1/,
    },
    {
      name: 'cleanup answered 404 for a reservation the bank granted → fail',
      rows: [...granted('a'), byCleanup('a', 404)],
      status: 'fail',
      observed: /HTTP 404 for 1/,
    },
    {
      name: 'answered 500, then nothing listens → fail: the bank did answer without settling',
      rows: [...granted('a'), byCleanup('a', 500), byCleanup('a', 0)],
      status: 'fail',
    },
    {
      name: 'one refused and one unreached → fail, naming both',
      rows: [...granted('a'), byCleanup('a', 500), ...granted('b'), byCleanup('b', 0)],
      status: 'fail',
      observed: /HTTP 500 for 1\); 1 never reached the bank/,
    },
    {
      name: 'every cleanup attempt a transport error → inconclusive, naming reconcile',
      rows: [...granted('a', 200), ...granted('b'), byCleanup('b', 0), ...unanswered('c'), byCleanup('c', 0, '')],
      status: 'inconclusive',
      reason:
        /2 reservation\(s\) still open: the bank gave no HTTP answer to the cleanup \(2 attempted, each a transport error\); run `bankcert reconcile out\/run` once the bank answers/,
    },
    {
      name: 'open with no cleanup attempt at all (cleanup stopped) → inconclusive',
      rows: [...granted('a'), ...granted('b'), byCleanup('b', 0)],
      status: 'inconclusive',
      reason: /1 attempted, each a transport error; 1 not attempted once it stopped answering\).*bankcert reconcile/,
    },
    {
      name: 'a scenario outcome answered 500, cleanup never reached → inconclusive',
      rows: [...granted('a', 500), byCleanup('a', 0)],
      status: 'inconclusive',
      reason: /1 reservation\(s\) still open: the bank gave no HTTP answer/,
    },
    // A bank restarted with empty state answers 404 to the cancels: the ledger still holds 18 requests, never "no reservation".
    {
      name: 'unanswered requests the bank did not know (404) → inconclusive, never a skip',
      rows: [...unanswered('u'), byCleanup('u', 404, ''), ...unanswered('v'), byCleanup('v', 404, '')],
      status: 'inconclusive',
      reason: /granted none of the run's 2 reserveFunds/,
    },
    {
      name: 'every reserveFunds refused → inconclusive: nothing to finish',
      rows: [row('sent', 'r', '', 0), row('reserve', 'r', '2010')],
      status: 'inconclusive',
      reason: /granted none of the run's 1 reserveFunds/,
    },
    { name: 'no row at all → inconclusive, not skip', rows: [], status: 'inconclusive', reason: /holds no reserveFunds/ },
  ];
  it.each(cases)('$name', ({ rows, status, reason, observed }) => {
    const obs = cleanupComplete(rows, 'out/run');
    expect(obs.id).toBe('SF-CLEANUP');
    expect(obs.status).toBe(status);
    if (reason) expect(obs.reason).toMatch(reason);
    else expect(obs.reason).toBeUndefined();
    if (observed) expect(obs.observed).toMatch(observed);
  });

  it('is never skipped, whatever the ledger', () => {
    for (const rows of [[], unanswered('u'), [...unanswered('u'), byCleanup('u', 404, '')], granted('a'), [...granted('a'), byCleanup('a', 0)]]) {
      expect(cleanupComplete(rows, 'x').status).not.toBe('skip');
    }
  });
});

describe('RF-REF-UNIQUE', () => {
  const cases: { name: string; rows: LedgerRow[]; status: Status }[] = [
    { name: 'distinct references → pass', rows: [...granted('a', 200), ...granted('b', 200)], status: 'pass' },
    {
      name: 'one reference for two purchases → fail',
      rows: [row('reserve', 'a', '0000', 200, 'scenario', 'same'), row('reserve', 'b', '0000', 200, 'scenario', 'same')],
      status: 'fail',
    },
    { name: 'one reservation cannot show uniqueness → inconclusive', rows: granted('a', 200), status: 'inconclusive' },
    { name: 'no reservation → inconclusive, never a pass', rows: [], status: 'inconclusive' },
  ];
  it.each(cases)('$name', ({ rows, status }) => {
    expect(referencesUnique(rows).status).toBe(status);
  });
});

describe('ledgerObservations', () => {
  it('judges the ledger only when the safety suite ran', () => {
    expect(ledgerObservations([], ['conformance'], 'out')).toEqual([]);
    expect(ledgerObservations([], ['safety'], 'out').map((o) => [o.id, o.status])).toEqual([
      ['RF-REF-UNIQUE', 'inconclusive'],
      ['SF-CLEANUP', 'inconclusive'],
    ]);
  });
});
