import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../checks/ledger.ts';
import { ledgerNdjson } from '../ledger/ledger.ts';
import { fileSha256 } from '../util/digest.ts';
import { checkEvidenceFiles } from './evidence.ts';
import { ledgerRow } from '../../checks/__fixtures__/ledger-row.ts';

const row = (over: Partial<LedgerRow>): LedgerRow =>
  ledgerRow({ at: '2026-11-29T10:00:00.000Z', raasTxnRef: 'bc-a-safety-1-1-r', clientTxnRef: 'bc-a-safety-1-1-c', reserveFundsTxnRef: 'ref-1', ...over });
const line = (r: LedgerRow) => `${JSON.stringify(r)}\n`;

describe('the record files against the SHA-256 result.json keeps for them', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bankcert-evidence-'));
    writeFileSync(join(dir, 'plan.json'), '{}\n');
    writeFileSync(join(dir, 'ledger.ndjson'), ledgerNdjson([row({ kind: 'sent', reserveFundsTxnRef: '', code: '', httpStatus: 0 }), row({})]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const files = async () => ({ 'plan.json': await fileSha256(join(dir, 'plan.json')), 'ledger.ndjson': await fileSha256(join(dir, 'ledger.ndjson')) });

  it('as the run left them: no problem, the ledger read back', async () => {
    const check = await checkEvidenceFiles(dir, await files());
    expect(check.problems).toEqual([]);
    expect(check.ledger).toHaveLength(2);
  });

  it('a changed or missing file is named', async () => {
    const recorded = await files();
    writeFileSync(join(dir, 'plan.json'), '{"edited":true}\n');
    const check = await checkEvidenceFiles(dir, { ...recorded, 'exchanges.ndjson.gz': { sha256: 'ab'.repeat(32), bytes: 10 } });
    expect(check.problems).toEqual([
      expect.stringMatching(/^plan\.json was changed after the run/),
      expect.stringMatching(/^exchanges\.ndjson\.gz is missing/),
    ]);
  });

  it('outcomes reconcile appended after the run are a note, and not read as the certificate’s ledger', async () => {
    const recorded = await files();
    appendFileSync(join(dir, 'ledger.ndjson'), line(row({ kind: 'outcome', code: '2226', by: 'cleanup' })));
    const check = await checkEvidenceFiles(dir, recorded);
    expect(check.problems).toEqual([]);
    expect(check.notes).toEqual([expect.stringMatching(/1 outcome row\(s\) appended after the run by `bankcert reconcile`/)]);
    expect(check.ledger).toHaveLength(2);
  });

  it('any other row appended after the run is a problem', async () => {
    const recorded = await files();
    appendFileSync(join(dir, 'ledger.ndjson'), line(row({ raasTxnRef: 'bc-a-safety-1-2-r' })));
    expect((await checkEvidenceFiles(dir, recorded)).problems).toEqual([expect.stringMatching(/not outcomes sent by `bankcert reconcile`/)]);
  });

  it('an edited ledger is still read, leniently (its header and broken lines skipped), for the re-derivation to show the edit', async () => {
    const recorded = await files();
    appendFileSync(join(dir, 'ledger.ndjson'), 'not json\n');
    writeFileSync(join(dir, 'ledger.ndjson'), ledgerNdjson([row({})]) + 'not json\n');
    const check = await checkEvidenceFiles(dir, recorded);
    expect(check.problems).toEqual([expect.stringMatching(/^ledger\.ndjson was changed after the run/)]);
    expect(check.ledger).toEqual([row({})]);
  });
});
