import type { Command } from 'commander';
import { resultDigest } from '../util/digest.ts';
import { readResultFile } from '../util/result-file.ts';
import { mergeDistributedRun } from '../run/merge.ts';
import { writeReports } from '../run/outputs.ts';
import { Scrubber } from '../util/scrub.ts';
import { exitCode } from '../../checks/judge/verdict.ts';

/**
 * `bankcert report DIR`: re-renders the reports from result.json. A digest mismatch means the result was
 * edited after the run; the reports are still written, but the command says so and exits 1.
 */
function rerenderReport(dir: string, print: (line: string) => void): number {
  const result = readResultFile(dir, `report ${dir}`);
  const { digest, ...unsigned } = result;
  const intact = resultDigest(unsigned) === digest;
  writeReports(dir, result, new Scrubber());
  print(`re-rendered report.html, report.md and junit.xml in ${dir}`);
  if (!intact) {
    print('WARNING: the digest does not match: result.json was changed after the run, so it is not a valid certificate.');
    return 1;
  }
  return exitCode(result.verdict);
}

export function register(program: Command): void {
  program
    .command('report')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert bundle`, with --merge)')
    .description('re-render report.html, report.md and junit.xml from DIR/result.json (checks its digest)')
    .option('--merge', "build the certificate of a distributed run: DIR has bundle.json, the runners' raw-load-*.ndjson and their logs")
    .action(async (dir: string, opts: { merge?: boolean }) => {
      const print = (l: string) => process.stdout.write(`${l}\n`);
      process.exitCode = opts.merge ? await mergeDistributedRun(dir, print) : rerenderReport(dir, print);
    });
}
