import type { Verdict } from '../../checks/result.ts';

/** The exit-code table every command's help ends with (design.md's contract). */
export const EXIT_CODES = `
Exit codes:
  0  certified
  1  not certified (a MUST check failed)
  2  usage or configuration error
  3  inconclusive or could not run (k6 missing, bank unreachable, run interrupted)`;

/** commander argParser for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const VERDICT_WORDS: Record<Verdict, string> = { certified: 'CERTIFIED', 'not-certified': 'NOT CERTIFIED', inconclusive: 'INCONCLUSIVE' };

export function verdictLine(verdict: Verdict, outDir: string): string {
  return `\nverdict: ${VERDICT_WORDS[verdict]}   report: ${outDir}/report.html (also report.md, junit.xml, result.json, ledger.csv)`;
}
