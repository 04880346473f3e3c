import type { Command } from 'commander';
import { resultDigest } from '../util/digest.ts';
import { readResultFile } from '../util/result-file.ts';
import { mergeDistributedRun } from '../run/merge.ts';
import { writeReports } from '../run/outputs.ts';
import { Scrubber } from '../util/scrub.ts';
import { exitCode } from '../../checks/judge/verdict.ts';
import { NOT_VALID_BANNER } from '../../reports/view.ts';
import { EXIT_NOT_VALID } from '../util/cli-options.ts';

/**
 * `bankcert report DIR`: re-renders the reports from result.json. A digest mismatch means the result was
 * edited after the run: every format is rendered with the NOT VALID banner instead of the verdict, and
 * the command exits 4 (never the edited verdict's code).
 */
function rerenderReport(dir: string, print: (line: string) => void): number {
  const result = readResultFile(dir, `report ${dir}`);
  const { digest, ...unsigned } = result;
  const intact = resultDigest(unsigned) === digest;
  writeReports(dir, result, new Scrubber(), { notValid: !intact });
  print(`re-rendered report.html, report.md and junit.xml in ${dir}`);
  if (!intact) {
    print(`${NOT_VALID_BANNER}: its digest does not match its content, so it is not a certificate (every report says so).`);
    return EXIT_NOT_VALID;
  }
  print(`digest matches (verdict ${result.verdict}); \`bankcert verify ${dir}\` re-derives the verdict from the run's records`);
  return exitCode(result.verdict);
}

export function register(program: Command): void {
  program
    .command('report')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert bundle`, with --merge)')
    .description(
      're-render report.html, report.md and junit.xml from DIR/result.json; an edited result.json (digest mismatch) is rendered NOT VALID and exits 4',
    )
    .option('--merge', "build the certificate of a distributed run: DIR has bundle.json, plan.json and the runners' logs (runner-N.log, from kubectl logs)")
    .action(async (dir: string, opts: { merge?: boolean }) => {
      const print = (l: string) => process.stdout.write(`${l}\n`);
      process.exitCode = opts.merge ? await mergeDistributedRun(dir, print) : rerenderReport(dir, print);
    });
}
