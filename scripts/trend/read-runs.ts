import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ResultSchema, type Result } from '../../checks/result.ts';
import { usageError } from '../util/errors.ts';
import { readJsonFile } from '../util/json-file.ts';

/**
 * The result.json of each folder, validated with the result schema: a folder that is not a bankcert run
 * (missing, no result.json, not JSON, not a result) is a usage error naming it and what is wrong.
 */
export function readRuns(dirs: readonly string[]): { dir: string; result: Result }[] {
  return dirs.map((dir) => {
    const hint = ['Give folders written by `bankcert certify --out` (each with its result.json), oldest first.'];
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`${dir}: not a folder`, hint);
    const path = join(dir, 'result.json');
    if (!existsSync(path)) throw usageError(`${dir} is not a bankcert run: it has no result.json`, hint);
    const result = readJsonFile(
      path,
      ResultSchema,
      {
        unreadable: (err) => usageError(`${path} is not a bankcert result: ${err.message.replace(/\s*\n\s*/g, ' ')}`, hint, err),
        invalid: (where) => usageError(`${path} is not a bankcert result: ${where}`, hint),
      },
      '(top level)',
    );
    return { dir, result };
  });
}
