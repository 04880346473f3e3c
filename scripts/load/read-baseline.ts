import type { Result } from '../../checks/result.ts';
import { usageError } from '../util/errors.ts';
import { readResultFile } from '../util/result-file.ts';

/** An earlier result.json with load figures, validated: the nightly comparison point. */
export function readBaseline(dir: string): Result {
  const result = readResultFile(dir, `--baseline ${dir}`);
  if (!result.load) throw usageError(`--baseline ${dir}: that run has no load figures`, ['Use a run that included the load suite.']);
  return result;
}
