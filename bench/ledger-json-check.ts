// Self-check run by `npm run bench`, in Node and inside k6 (bench/ledger-json.k6.ts): the ledger line
// BankClient writes with a template (ledgerEventJson) must be byte for byte what JSON.stringify gives for
// the same `{ t: 'ledger', entry }` event, for ordinary values and for every kind of string that needs
// escaping. No Node or k6 imports: it runs in both.
import { ledgerEventJson } from '../checks/client.ts';
import type { LedgerEntry } from '../checks/observation.ts';

const NASTY = ['', 'plain', 'quote"', 'back\\slash', 'nl\n', 'tab\t', 'nul\u0000', 'ctl\u001f', 'del\u007f', 'ls\u2028ps\u2029', 'emoji💸', 'lone\ud800', 'lone\udc00x', 'ünïcødé', '</script>', '{"t":"x"}'];
const NUMBERS: unknown[] = [0, -0, 1, 1000, 2 ** 53, 1.5, -7, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, undefined, '12', null];

/** Problems found (empty when every case matches). */
export function checkLedgerJson(): string[] {
  const problems: string[] = [];
  const kinds: LedgerEntry['kind'][] = ['sent', 'reserve', 'outcome'];
  let seed = 7;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[seed % xs.length] as T;
  };
  for (let i = 0; i < 3000; i++) {
    const kind = kinds[i % 3] as LedgerEntry['kind'];
    const at = i % 5 === 0 ? pick(NASTY) : new Date(1_700_000_000_000 + i).toISOString();
    const r = {
      clientTxnRef: i % 4 === 0 ? pick(NASTY) : `bc-run-load-1-${i}-c`,
      raasTxnRef: i % 4 === 1 ? pick(NASTY) : `bc-run-load-1-${i}-r`,
      reserveAmount: (i % 7 === 0 ? pick(NUMBERS) : 1000) as number,
      feeAmount: (i % 11 === 0 ? pick(NUMBERS) : 0) as number,
      clientShareAmount: (i % 13 === 0 ? pick(NUMBERS) : 50) as number,
      settlementAmount: 950,
    };
    const ref = i % 3 === 0 ? pick(NASTY) : 'a98b3e5d-9fc2-4742-94ee-269dee9e69fa';
    const account = i % 6 === 0 ? pick(NASTY) : `load:${i % 10}`;
    const code = i % 8 === 0 ? pick(NASTY) : '0000';
    const httpStatus = (i % 9 === 0 ? pick(NUMBERS) : 200) as number;
    const expected = JSON.stringify({
      t: 'ledger',
      entry: { kind, at, clientTxnRef: r.clientTxnRef, raasTxnRef: r.raasTxnRef, reserveFundsTxnRef: ref, account, reserveAmount: r.reserveAmount, code, httpStatus, feeAmount: r.feeAmount, clientShareAmount: r.clientShareAmount, settlementAmount: r.settlementAmount },
    });
    const actual = ledgerEventJson(kind, at, r, ref, account, code, httpStatus);
    if (actual !== expected && problems.length < 5) problems.push(`case ${i}: ${actual} !== ${expected}`);
  }
  return problems;
}
