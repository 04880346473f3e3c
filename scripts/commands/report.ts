import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultSchema } from '../../checks/result.ts';
import { resultDigest } from '../util/digest.ts';
import { usageError } from '../util/errors.ts';
import { mergeDistributedRun } from '../run/merge.ts';
import { writeReports } from '../run/outputs.ts';
import { Scrubber } from '../util/scrub.ts';
import { exitCode } from '../judge/verdict.ts';

/**
 * `bankcert report DIR`: re-renders the reports from result.json. A digest mismatch means the result was
 * edited after the run; the reports are still written, but the command says so and exits 1.
 */
function rerenderReport(dir: string, print: (line: string) => void): number {
  const path = join(dir, 'result.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw usageError(`cannot read ${path}: ${(err as Error).message}`, ['Give the folder that `bankcert certify --out` wrote.'], err);
  }
  const parsed = ResultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(`${path} is not a bankcert result: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  const { digest, ...unsigned } = parsed.data;
  const intact = resultDigest(unsigned) === digest;
  writeReports(dir, parsed.data, new Scrubber());
  print(`re-rendered report.html, report.md and junit.xml in ${dir}`);
  if (!intact) {
    print('WARNING: the digest does not match: result.json was changed after the run, so it is not a valid certificate.');
    return 1;
  }
  return exitCode(parsed.data.verdict);
}

export function register(program: Command): void {
  program
    .command('report')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert bundle`, with --merge)')
    .description('re-render report.html, report.md and junit.xml from DIR/result.json (checks its digest)')
    .option('--merge', "build the certificate of a distributed run: DIR has bundle.json, plan.json and the runners' logs (runner-N.log, from kubectl logs)")
    .action(async (dir: string, opts: { merge?: boolean }) => {
      const print = (l: string) => process.stdout.write(`${l}\n`);
      process.exitCode = opts.merge ? await mergeDistributedRun(dir, print) : rerenderReport(dir, print);
    });
}
