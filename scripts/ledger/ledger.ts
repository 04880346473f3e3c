import { closeSync, createWriteStream, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { emptyTally, settle, type LedgerRow, type SettledTally } from '../../checks/ledger.ts';
import { readLines } from '../load/lines.ts';
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

const csvLine = (r: LedgerRow) => COLUMNS.map((c) => csvCell(r[c])).join(',');

/**
 * DIR/ledger.csv from DIR/ledger.ndjson, a line at a time: a long load run's ledger is read from the file,
 * never held whole. `scrub` sees each line (no secret spans two).
 */
export async function writeLedgerCsv(ndjsonPath: string, csvPath: string, scrub: (text: string) => string = (text) => text): Promise<void> {
  const fd = openSync(csvPath, 'w');
  try {
    let chunk = `${COLUMNS.join(',')}\n`;
    let first = true;
    await readLines(ndjsonPath, (line) => {
      // The format header, then one row per line (a line cut off by a killed CLI is left out).
      if (first || line === '') {
        first = false;
        return;
      }
      let row: LedgerRow;
      try {
        row = JSON.parse(line) as LedgerRow;
      } catch {
        return;
      }
      chunk += `${scrub(csvLine(row))}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export function ledgerCsv(rows: readonly LedgerRow[]): string {
  return [COLUMNS.join(','), ...rows.map(csvLine)].join('\n') + '\n';
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

/** A batch of the load suite's rows (scripts/run/event-ledger.ts), as LedgerFile.addLoad takes it. */
export interface LoadRows {
  /** Every row of the batch, serialized: the file gets them all. */
  ndjson: string;
  /** 'sent' rows: held by raasTxnRef until their iteration is reported. */
  sent: readonly LedgerRow[];
  /** Rows of iterations that are not settled (an answer lost, a grant not acknowledged): kept as rows. */
  kept: readonly LedgerRow[];
  /** Settled iterations: their 'sent' row is dropped and they count in the tally only. */
  settled: readonly { raasTxnRef: string; answer: { code: string; reserveFundsTxnRef: string }; outcomeCode?: string }[];
}

/**
 * The ledger as the run writes it: every row is appended to DIR/ledger.ndjson at once, so an
 * interrupted or killed CLI still leaves what `bankcert reconcile DIR` needs.
 *
 * In memory it holds every row except the load suite's settled iterations, which only count
 * (SettledTally): at hundreds of iterations a second their rows would be most of the CLI's memory, and
 * grow with the run's length. `rows` with `settled` give the judges what every row would.
 */
export class LedgerFile {
  private readonly held: LedgerRow[] = [];
  /** The load suite's 'sent' rows of iterations not yet reported, by raasTxnRef. */
  private readonly sent = new Map<string, LedgerRow>();
  readonly settled: SettledTally = emptyTally();
  private readonly stream;

  /** `keepReferences`: false when nothing will judge RF-REF-UNIQUE (a run without the safety suite). */
  constructor(
    path: string,
    existing: readonly LedgerRow[] = [],
    private readonly keepReferences = true,
  ) {
    this.held.push(...existing);
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
    for (const row of rows) this.held.push(row);
  }

  /** The load suite's rows: all to the file; in memory, what is not settled (see the class). */
  addLoad(batch: LoadRows): void {
    if (batch.ndjson !== '') this.stream.write(batch.ndjson);
    for (const row of batch.sent) this.sent.set(row.raasTxnRef, row);
    for (const row of batch.kept) this.held.push(row);
    for (const s of batch.settled) {
      this.sent.delete(s.raasTxnRef);
      settle(this.settled, s.raasTxnRef, s.answer, s.outcomeCode, this.keepReferences);
    }
  }

  /** The rows held in memory (every row but the settled load iterations' ones). */
  get rows(): LedgerRow[] {
    return this.sent.size === 0 ? this.held : [...this.held, ...this.sent.values()];
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
