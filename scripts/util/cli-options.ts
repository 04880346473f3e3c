import type { Command } from 'commander';
import type { Result, Verdict } from '../../checks/result.ts';
import { loadProvenLine } from '../../reports/load-view.ts';
import { partialLine, verdictWords } from '../../reports/view.ts';

/** The exit-code table every command's help ends with (design.md's contract). */
export const EXIT_CODES = `
Exit codes:
  0  certified (with --check: the chosen checks passed; a partial run is not a certificate)
  1  not certified (a MUST check failed; with --check: a chosen one)
  2  usage or configuration error
  3  inconclusive or could not run (k6 missing, bank unreachable, run interrupted,
     reservations left open, internal error)
  4  not valid: result.json was changed after the run (report), it is not what the run's
     records give (verify), or the bank no longer answers as recorded (verify --against)`;

/** Exit code of a certificate that is not what it claims (see EXIT_CODES). */
export const EXIT_NOT_VALID = 4;

/** `--verbose` is a program option (accepted before or after the command): read it from any command. */
export function verboseOf(command: Command): boolean {
  return Boolean(command.optsWithGlobals<{ verbose?: boolean }>().verbose);
}

/** commander argParser for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function verdictLine(verdict: Verdict, outDir: string): string {
  return `\nverdict: ${verdictWords(verdict).label}   report: ${outDir}/report.html (also report.md, junit.xml, result.json, ledger.csv)`;
}

/** The line that sends a user to `bankcert reconcile`; the terminal also recognises it among the reasons by it. */
export function stillHeldLine(open: number, outDir: string): string {
  return `${open} reservation(s) still open (funds may be held at the bank): run \`bankcert reconcile ${outDir}\` once it answers`;
}

/** Reasons printed under an inconclusive verdict; result.json has them all. */
const MAX_REASONS = 8;

/**
 * The end of a run in the terminal: the verdict, why it is inconclusive (a bare "INCONCLUSIVE" tells a
 * user nothing), and, last, what to do about reservations still held at the bank.
 */
export function verdictLines(
  result: Pick<Result, 'verdict' | 'inconclusiveReasons' | 'ledger' | 'load' | 'checks' | 'checksChosen'>,
  outDir: string,
): string[] {
  const lines = [verdictLine(result.verdict, outDir)];
  const partial = partialLine(result);
  if (partial) lines.push(partial);
  // The banner's "Load proven" line, as on the certificate: a verdict without the load it stands for misleads.
  const loadProven = loadProvenLine(result);
  if (loadProven) lines.push(loadProven);
  const held = result.ledger.open > 0 ? stillHeldLine(result.ledger.open, outDir) : undefined;
  if (result.verdict === 'inconclusive') {
    const reasons = result.inconclusiveReasons.filter((r) => r !== held);
    lines.push(...reasons.slice(0, MAX_REASONS).map((r) => `  because ${r}`));
    if (reasons.length > MAX_REASONS) lines.push(`  … and ${reasons.length - MAX_REASONS} more (inconclusiveReasons in result.json)`);
  }
  if (held) lines.push(held);
  return lines;
}
