import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { UserError } from './errors.ts';

/** Where zod found the first problem, as "path: message"; `top` names a problem with the whole value. */
export function firstIssue(error: z.ZodError, top: string): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || top}: ${issue.message}` : 'invalid';
}

/**
 * A JSON file Node reads back (a run's result, plan, bundle), parsed once and checked against its schema.
 * Each caller words the two ways it can be wrong, so the message names what the user gave and the fix.
 */
export function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  wrong: { unreadable(err: Error): UserError; invalid(where: string): UserError },
  top = 'the file',
): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw wrong.unreadable(err as Error);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw wrong.invalid(firstIssue(parsed.error, top));
  return parsed.data;
}
