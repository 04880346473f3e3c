import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultSchema } from '../checks/result.ts';
import { resultDigest } from './certify.ts';
import { usageError } from './errors.ts';
import { writeReports } from './outputs.ts';
import { Scrubber } from './scrub.ts';
import { exitCode } from './verdict.ts';

/**
 * `bankcert report DIR`: re-renders the reports from result.json. A digest mismatch means the result was
 * edited after the run; the reports are still written, but the command says so and exits 1.
 */
export function rerenderReport(dir: string, print: (line: string) => void): number {
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
