import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence } from '../../checks/result.ts';
import { fileSha256 } from '../util/digest.ts';

/**
 * The files of a run's folder a certificate rests on, whatever produced them: the plan, the ledger, the
 * functional suites' exchanges, the load runs and their samples, k6's summaries. `bankcert verify` checks
 * each against the SHA-256 result.json records, then re-derives the certificate from them.
 */
export const EVIDENCE_FILE =
  /^(plan\.json|ledger\.ndjson|exchanges\.ndjson\.gz|load-runs\.json|k6-summary-.*\.json|raw-load.*\.ndjson(\.gz)?|records-.*\.ndjson(\.gz)?)$/;

export async function evidenceDigests(dir: string): Promise<Evidence['files']> {
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => EVIDENCE_FILE.test(name))
        .sort()
    : [];
  const files: Evidence['files'] = {};
  for (const name of names) files[name] = await fileSha256(join(dir, name));
  return files;
}
