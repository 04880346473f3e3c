import type { JudgedCheck } from '../../checks/judge/verdict.ts';
import { RESULT_SCHEMA_VERSION, type Result } from '../../checks/result.ts';
import { withSummary } from '../../reports/summary.ts';
import { resultDigest } from '../util/digest.ts';
import type { Scrubber } from '../util/scrub.ts';

/** Everything result.json holds but the summary lines and the digest. */
export type UnsignedResult = Omit<Result, 'digest' | 'checks' | 'schemaVersion'> & { checks: JudgedCheck[] };

/**
 * The certificate's last step, the same for a run and for a merged distributed run: each check gets its
 * summary line, secrets are scrubbed, and the digest covers exactly what is written.
 */
export function finishResult(unsigned: UnsignedResult, scrubber: Scrubber): Result {
  const worded: Omit<Result, 'digest'> = { schemaVersion: RESULT_SCHEMA_VERSION, ...unsigned, checks: unsigned.checks.map(withSummary) };
  const scrubbed = JSON.parse(scrubber.apply(JSON.stringify(worded))) as Omit<Result, 'digest'>;
  return { ...scrubbed, digest: resultDigest(scrubbed) };
}
