// The ledger line self-check (bench/ledger-json-check.ts) inside k6, whose JSON.stringify is not V8's.
import { checkLedgerJson } from './ledger-json-check.ts';

export const options = { vus: 1, iterations: 1 };

export default function (): void {
  const problems = checkLedgerJson();
  if (problems.length > 0) throw new Error(`ledger line differs from JSON.stringify: ${problems.join(' | ')}`);
}
