import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from '../../checks/ledger.ts';
import type { Evidence } from '../../checks/result.ts';
import { ledgerNdjson, parseLedgerNdjson } from '../ledger/ledger.ts';
import { fileSha256 } from '../util/digest.ts';

export interface EvidenceCheck {
  /** Files missing or changed since the run. */
  problems: string[];
  /** What is there besides the certificate's records, said once (rows `bankcert reconcile` appended). */
  notes: string[];
  /** The ledger as the run left it: the first `bytes` of ledger.ndjson. */
  ledger: LedgerRow[];
}

/**
 * Each file result.json names, against its recorded SHA-256 and size. ledger.ndjson may have grown:
 * `bankcert reconcile` appends the outcomes it sends, so its first `bytes` are the certificate's and
 * every row after them must be one of reconcile's.
 */
export async function checkEvidenceFiles(dir: string, files: Evidence['files']): Promise<EvidenceCheck> {
  const out: EvidenceCheck = { problems: [], notes: [], ledger: [] };
  for (const [name, recorded] of Object.entries(files)) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      out.problems.push(`${name} is missing (result.json records ${recorded.bytes} bytes with SHA-256 ${recorded.sha256.slice(0, 12)}…)`);
      continue;
    }
    const size = statSync(path).size;
    const grows = name === 'ledger.ndjson' && size > recorded.bytes;
    const now = await fileSha256(path, grows ? recorded.bytes : undefined);
    if (now.sha256 !== recorded.sha256 || now.bytes !== recorded.bytes) {
      out.problems.push(
        `${name} was changed after the run: ${size} bytes with SHA-256 ${now.sha256.slice(0, 12)}…, result.json records ${recorded.bytes} bytes with ${recorded.sha256.slice(0, 12)}…`,
      );
      continue;
    }
    if (grows) {
      const added = parseLedgerNdjson(ledgerNdjson([]) + readFileSync(path).subarray(recorded.bytes).toString('utf8'), `${name} (rows appended after the run)`);
      const foreign = added.filter((row) => row.by !== 'cleanup' || row.kind !== 'outcome');
      if (foreign.length > 0)
        out.problems.push(`ledger.ndjson: ${foreign.length} row(s) were added after the run that are not outcomes sent by \`bankcert reconcile\``);
      else out.notes.push(`ledger.ndjson: ${added.length} outcome row(s) appended after the run by \`bankcert reconcile\` (not part of the certificate)`);
    }
  }
  const ledger = files['ledger.ndjson'];
  const ledgerFile = join(dir, 'ledger.ndjson');
  if (ledger && existsSync(ledgerFile)) {
    // As the run left it; an edited ledger is read whole and leniently, so the re-derivation shows what the edit changes.
    const bytes = readFileSync(ledgerFile);
    const intact = !out.problems.some((p) => p.startsWith('ledger.ndjson'));
    out.ledger = intact ? parseLedgerNdjson(bytes.subarray(0, ledger.bytes).toString('utf8')) : readRows(bytes.toString('utf8'));
  }
  return out;
}

/** The rows of an edited ledger, skipping its header and any line that is not a row (an edit may leave one). */
function readRows(text: string): LedgerRow[] {
  return text.split('\n').flatMap((line) => {
    try {
      const row = JSON.parse(line) as Partial<LedgerRow> | null;
      return row !== null && typeof row === 'object' && typeof row.kind === 'string' && typeof row.raasTxnRef === 'string' ? [row as LedgerRow] : [];
    } catch {
      return [];
    }
  });
}
