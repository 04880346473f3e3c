import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ResultSchema, type Result } from '../../checks/result.ts';
import { usageError } from '../util/errors.ts';

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
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw usageError(`${path} is not a bankcert result: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}`, hint, err);
    }
    const parsed = ResultSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw usageError(`${path} is not a bankcert result: ${issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : 'invalid'}`, hint);
    }
    return { dir, result: parsed.data };
  });
}
