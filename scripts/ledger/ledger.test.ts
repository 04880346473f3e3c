import { describe, expect, it } from 'vitest';
import { ledgerCsv, ledgerNdjson, parseLedgerNdjson } from './ledger.ts';
import { openReservations, summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import { ledgerRow } from '../../checks/__fixtures__/ledger-row.ts';

const row = (kind: LedgerRow['kind'], raas: string, code: string, httpStatus = 200, by: LedgerRow['by'] = 'scenario'): LedgerRow =>
  ledgerRow({ kind, raasTxnRef: raas, code, httpStatus, by });

describe('ledger', () => {
  const rows = [
    row('reserve', 'a', '0000'),
    row('outcome', 'a', '0'),
    row('reserve', 'b', '0000'),
    row('outcome', 'b', '2239', 500),
    row('outcome', 'b', '2239', 200, 'cleanup'),
    row('reserve', 'c', '2010'),
    row('reserve', 'd', '0000'),
    row('outcome', 'd', '2239', 0),
    row('reserve', 'e', '0000'),
    row('outcome', 'e', '2239'),
  ];

  it('counts reservations by how they ended; only acknowledged (200) outcomes settle', () => {
    expect(summariseLedger(rows)).toEqual({ reservations: 4, debited: 1, released: 2, refused: 1, open: 1, cleanedUp: 1 });
    expect(openReservations(rows).map((r) => r.reserve.raasTxnRef)).toEqual(['d']);
  });

  it('a repeated reserveFunds with the same raasTxnRef is one purchase', () => {
    expect(summariseLedger([row('reserve', 'x', '0000'), row('reserve', 'x', '0000')]).reservations).toBe(1);
  });

  it('a request whose answer never came is open until a cancel by raasTxnRef is acknowledged or answered 404', () => {
    const sent = row('sent', 'u', '', 0);
    const lost = [sent, { ...row('reserve', 'u', '', 0), reserveFundsTxnRef: '' }];
    expect(openReservations(lost).map((r) => [r.reserve.raasTxnRef, r.unanswered])).toEqual([['u', true]]);
    const cancelled = { ...row('outcome', 'u', '2226', 404, 'cleanup'), reserveFundsTxnRef: '' };
    expect(openReservations([...lost, cancelled])).toEqual([]);
    // The bank never made it: not a reservation in the figures.
    expect(summariseLedger([...lost, cancelled])).toMatchObject({ reservations: 0, cleanedUp: 0, open: 0 });
    expect(summariseLedger([...lost, { ...cancelled, httpStatus: 200 }])).toMatchObject({ reservations: 1, released: 1, cleanedUp: 1 });
    // An answered request is not "unanswered", whatever its code.
    expect(openReservations([row('sent', 'v', '', 0), row('reserve', 'v', '2010')])).toEqual([]);
  });

  it('an answer without a responseCode (not JSON, cut off) is as unknown as none: cancelled by raasTxnRef', () => {
    const rows = [row('sent', 'g', '', 0), { ...row('reserve', 'g', '', 200), reserveFundsTxnRef: '' }];
    expect(openReservations(rows).map((r) => [r.reserve.raasTxnRef, r.unanswered])).toEqual([['g', true]]);
    expect(summariseLedger(rows).refused).toBe(0);
    const cancelled = [...rows, { ...row('outcome', 'g', '2226', 404, 'cleanup'), reserveFundsTxnRef: '' }];
    expect(openReservations(cancelled)).toEqual([]);
    expect(summariseLedger(cancelled).reservations).toBe(0);
  });

  it('a 404 does not settle a reservation the bank granted', () => {
    expect(openReservations([row('reserve', 'g', '0000'), row('outcome', 'g', '2239', 404)]).length).toBe(1);
  });

  it('CSV quotes commas and quotes and defuses spreadsheet formulas', () => {
    const csv = ledgerCsv([{ ...row('reserve', 'q', '0000'), reserveFundsTxnRef: '=HYPERLINK("x"),1' }]);
    expect(csv.split('\n')[1]).toContain(`"'=HYPERLINK(""x""),1"`);
  });

  it('NDJSON round-trips', () => {
    expect(parseLedgerNdjson(ledgerNdjson(rows))).toEqual(rows);
  });
});

describe('ledger.ndjson is versioned and validated when read back', () => {
  const good = ledgerNdjson([row('reserve', 'a', '0000')]);
  it('starts with its format header and reads back', () => {
    expect(good.split('\n')[0]).toBe('{"bankcert":"ledger","schemaVersion":1}');
    expect(parseLedgerNdjson(good)).toHaveLength(1);
  });
  it.each([
    ['a file without the header', good.split('\n').slice(1).join('\n'), /not a bankcert ledger of schemaVersion 1/],
    ['another version', good.replace('"schemaVersion":1', '"schemaVersion":2'), /not a bankcert ledger of schemaVersion 1/],
    ['a row that is not JSON', `${good}{oops\n`, /line 3 is not JSON/],
    ['a row missing a field', `${good}{"kind":"reserve"}\n`, /line 3 is not a ledger row: by/],
  ])('%s is a clear error (exit 2)', (_name, text, message) => {
    expect(() => parseLedgerNdjson(text)).toThrow(message);
  });
});
