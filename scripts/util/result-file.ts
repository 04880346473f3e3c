import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultSchema, type Result } from '../../checks/result.ts';
import { usageError } from './errors.ts';

/**
 * DIR/result.json, validated: the one reader for every command that takes a run's folder (report,
 * --baseline, trend). `option` names what the user typed, so the message points at it.
 */
export function readResultFile(dir: string, option: string): Result {
  const path = join(dir, 'result.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw usageError(`${option}: cannot read ${path}: ${(err as Error).message}`, ['Give the --out folder of a `bankcert certify` run.'], err);
  }
  const parsed = ResultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(`${option}: ${path} is not a bankcert result: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}
