import type { LedgerRow } from '../ledger.ts';

/** A ledger row for tests: a reservation of the funded account granted with a reference, unless `over` says otherwise. */
export function ledgerRow(over: Partial<LedgerRow> = {}): LedgerRow {
  const raas = over.raasTxnRef ?? 'r1';
  return {
    kind: 'reserve',
    by: 'scenario',
    at: '2026-01-01T00:00:00Z',
    clientTxnRef: `${raas}-c`,
    raasTxnRef: raas,
    reserveFundsTxnRef: `ref-${raas}`,
    account: 'funded',
    reserveAmount: 1000,
    feeAmount: 0,
    clientShareAmount: 50,
    settlementAmount: 950,
    code: '0000',
    httpStatus: 200,
    ...over,
  };
}
