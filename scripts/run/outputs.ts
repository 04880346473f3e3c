import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../checks/result.ts';
import { renderHtml } from '../../reports/html.ts';
import { renderJunit } from '../../reports/junit.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import type { RenderOptions } from '../../reports/view.ts';
import { ledgerPath, writeLedgerCsv } from '../ledger/ledger.ts';
import type { Scrubber } from '../util/scrub.ts';
import { EVIDENCE_FILE } from './evidence-files.ts';

/** The rendered reports, from the result alone (also what `bankcert report DIR` rewrites, NOT VALID when it was edited). */
export function writeReports(outDir: string, result: Result, scrubber: Scrubber, options: RenderOptions = {}): void {
  const write = (name: string, text: string) => writeFileSync(join(outDir, name), scrubber.apply(text));
  write('report.html', renderHtml(result, options));
  write('report.md', renderMarkdown(result, options));
  write('junit.xml', renderJunit(result, options));
}

export async function writeOutputs(outDir: string, result: Result, extra: { k6Log: readonly string[]; scrubber: Scrubber }): Promise<void> {
  const write = (name: string, text: string) => writeFileSync(join(outDir, name), extra.scrubber.apply(text));
  write('result.json', `${JSON.stringify(result, null, 2)}\n`);
  writeReports(outDir, result, extra.scrubber);
  await writeLeftovers(outDir, extra);
}

/** What a finished run writes; removed when a run starts, so an earlier run's files never stand in for this one's. */
export const OUTPUT_FILES = ['result.json', 'report.html', 'report.md', 'junit.xml', 'ledger.csv', 'k6.log'] as const;

/** Also the records of an earlier run (exchanges, load samples, k6 summaries): result.json digests every one in the folder. */
export function clearOutputs(outDir: string): void {
  for (const name of OUTPUT_FILES) rmSync(join(outDir, name), { force: true });
  for (const name of readdirSync(outDir)) if (EVIDENCE_FILE.test(name)) rmSync(join(outDir, name), { force: true });
}

/** A run that broke writes no certificate, only what a person needs to follow up. */
export async function writeLeftovers(outDir: string, extra: { k6Log: readonly string[]; scrubber: Scrubber }): Promise<void> {
  const write = (name: string, text: string) => writeFileSync(join(outDir, name), extra.scrubber.apply(text));
  // From the file the run appended to (closed by now): it holds every row, the memory only some.
  await writeLedgerCsv(ledgerPath(outDir), join(outDir, 'ledger.csv'), (text) => extra.scrubber.apply(text));
  write('k6.log', extra.k6Log.join('\n') + (extra.k6Log.length > 0 ? '\n' : ''));
}
