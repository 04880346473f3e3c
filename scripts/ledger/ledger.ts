import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { LedgerRow } from '../../checks/ledger.ts';
import { usageError } from '../util/errors.ts';

/** ledger.ndjson's first line: which bankcert ledger format the rows below it follow. */
export const LEDGER_SCHEMA_VERSION = 1;
const HEADER = JSON.stringify({ bankcert: 'ledger', schemaVersion: LEDGER_SCHEMA_VERSION });

const LedgerRowSchema = z.strictObject({
  kind: z.enum(['sent', 'reserve', 'outcome', 'unsent']),
  by: z.enum(['scenario', 'cleanup']),
  at: z.string(),
  clientTxnRef: z.string(),
  raasTxnRef: z.string(),
  reserveFundsTxnRef: z.string(),
  account: z.string(),
  reserveAmount: z.number(),
  code: z.string(),
  httpStatus: z.number(),
  feeAmount: z.number(),
  clientShareAmount: z.number(),
  settlementAmount: z.number(),
}) satisfies z.ZodType<LedgerRow>;

const COLUMNS = [
  'at',
  'by',
  'kind',
  'account',
  'clientTxnRef',
  'raasTxnRef',
  'reserveFundsTxnRef',
  'reserveAmount',
  'feeAmount',
  'clientShareAmount',
  'settlementAmount',
  'code',
  'httpStatus',
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
  return [HEADER, ...rows.map((r) => JSON.stringify(r))].join('\n') + '\n';
}

/** ledger.ndjson, validated: its header names the format; a row that is not a ledger row is an error naming its line. */
export function parseLedgerNdjson(text: string, source = 'ledger.ndjson'): LedgerRow[] {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const wrong = (what: string) =>
    usageError(`${source}: ${what}`, [`Use the bankcert version that made the run (ledger schemaVersion ${LEDGER_SCHEMA_VERSION}).`]);
  if (lines[0] !== HEADER)
    throw wrong(`not a bankcert ledger of schemaVersion ${LEDGER_SCHEMA_VERSION} (its first line is ${JSON.stringify((lines[0] ?? '').slice(0, 80))})`);
  return lines.slice(1).map((line, i) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw wrong(`line ${i + 2} is not JSON`);
    }
    const parsed = LedgerRowSchema.safeParse(row);
    if (!parsed.success)
      throw wrong(`line ${i + 2} is not a ledger row: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trimEnd());
    return parsed.data;
  });
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
    // Appending (reconcile) continues a file that has its header; a new ledger starts with it.
    const append = existing.length > 0;
    this.stream = createWriteStream(path, { flags: append ? 'a' : 'w' });
    if (!append) this.stream.write(`${HEADER}\n`);
  }

  add(...rows: LedgerRow[]): void {
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    this.addSerialized(rows, text);
  }

  /**
   * Rows whose ndjson lines (exactly JSON.stringify of each, one per line) the caller already made: the
   * load suite writes three rows per iteration, thousands of times a second (scripts/run/event-ledger.ts).
   */
  addSerialized(rows: readonly LedgerRow[], ndjson: string): void {
    if (rows.length === 0) return;
    // One write for the lot.
    this.stream.write(ndjson);
    for (const row of rows) this.rows.push(row);
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
