import type { CheckResult } from '../checks/result.ts';

/** The data a summary line may draw on; scenarios report facts, this module alone turns them into words. */
export type Summarisable = Pick<CheckResult, 'status' | 'expected' | 'observed' | 'reason' | 'counts'>;

/** One line per check, shared by every report format so HTML, Markdown and JUnit never disagree. */
export function summarise(check: Summarisable): string {
  const { status, expected, observed, reason } = check;
  switch (status) {
    case 'inconclusive':
      return withCounts(`inconclusive: ${reason || 'no reason recorded'}`, check.counts);
    case 'skip':
      // Counts of a skipped check would describe work that did not happen.
      return `skipped: ${reason || 'no reason recorded'}`;
    case 'pass':
      return withCounts(`${observed || expected || 'observed'} as expected`, check.counts);
    case 'fail':
      return withCounts(withReason(mismatch(expected, observed), reason), check.counts);
    case 'warn':
      // A downgraded SHOULD failure may carry no reason: then the mismatch itself is the news.
      return withCounts(reason ? `${observed || expected} (${reason})` : mismatch(expected, observed), check.counts);
  }
}

function mismatch(expected: string, observed: string): string {
  if (!expected) return `observed ${observed || 'nothing'}`;
  return `expected ${expected}, observed ${observed || 'nothing'}`;
}

function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text} (${reason})` : text;
}

function withCounts(text: string, counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return text;
  return `${text} [${entries.map(([name, value]) => `${name} ${value}`).join(', ')}]`;
}
