import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from '../../checks/ledger.ts';

const COLUMNS = [
  'at', 'by', 'kind', 'account', 'clientTxnRef', 'raasTxnRef', 'reserveFundsTxnRef',
  'reserveAmount', 'feeAmount', 'clientShareAmount', 'settlementAmount', 'code', 'httpStatus',
] as const satisfies readonly (keyof LedgerRow)[];

function csvCell(value: string | number): string {
  const text = String(value);
  // Quote when needed, and defuse spreadsheet formulas: a bank's reference could start with "=".
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function ledgerCsv(rows: readonly LedgerRow[]): string {
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

/** The machine-readable twin of ledger.csv: `bankcert reconcile` reads this, people read the CSV. */
export function ledgerNdjson(rows: readonly LedgerRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
}

export function parseLedgerNdjson(text: string): LedgerRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LedgerRow);
}

/**
 * The ledger as the run writes it: every row is appended to DIR/ledger.ndjson at once, so an
 * interrupted or killed CLI still leaves what `bankcert reconcile DIR` needs.
 */
export class LedgerFile {
  readonly rows: LedgerRow[] = [];
  private readonly stream;

  constructor(path: string, existing: readonly LedgerRow[] = []) {
    this.rows.push(...existing);
    this.stream = createWriteStream(path, { flags: existing.length > 0 ? 'a' : 'w' });
  }

  add(...rows: LedgerRow[]): void {
    for (const row of rows) this.stream.write(`${JSON.stringify(row)}\n`);
    this.rows.push(...rows);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

export const ledgerPath = (outDir: string) => join(outDir, 'ledger.ndjson');

/**
 * Requests re-sent after a run (`bankcert replay`, `bankcert verify --against`) get a folder of their own
 * under the run's: DIR/resent/KIND-TIME/ with the plan they were sent with and their ledger, so the run's
 * records stay as they were and `bankcert reconcile DIR` finishes anything they leave open.
 */
export const RESENT_DIR = 'resent';

/** The folders of earlier re-sends of a run, each with a plan.json and a ledger.ndjson. */
export function resentSessions(dir: string): string[] {
  const root = join(dir, RESENT_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((path) => existsSync(join(path, 'plan.json')) && existsSync(ledgerPath(path)))
    .sort();
}

