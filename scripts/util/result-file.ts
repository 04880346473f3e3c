import { join } from 'node:path';
import { ResultSchema, type Result } from '../../checks/result.ts';
import { usageError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

/**
 * DIR/result.json, validated: the one reader for every command that takes a run's folder (report,
 * --baseline, trend). `option` names what the user typed, so the message points at it.
 */
export function readResultFile(dir: string, option: string): Result {
  const path = join(dir, 'result.json');
  return readJsonFile(
    path,
    ResultSchema,
    {
      unreadable: (err) => usageError(`${option}: cannot read ${path}: ${err.message}`, ['Give the --out folder of a `bankcert certify` run.'], err),
      invalid: (where) => usageError(`${option}: ${path} is not a bankcert result: ${where}`),
    },
    '',
  );
}
