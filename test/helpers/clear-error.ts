import { expect } from 'vitest';
import type { CliRun } from './cli.ts';

/**
 * "One clear line": the CLI's error is a single `bankcert: …` line (plus indented hint lines), with
 * no stack trace and none of OpenSSL's multi-line internals, and the exit code says "could not run".
 */
export function expectCannotRun(run: CliRun, reason: RegExp): void {
  expect(run.code, run.stderr).toBe(3);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('bankcert: '));
  expect(errors, run.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(reason);
  // Everything else on stderr is an indented hint, not a continuation of a broken message.
  expect(
    lines.filter((l) => !l.startsWith('bankcert: ') && !l.startsWith('  ')),
    run.stderr,
  ).toEqual([]);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
  expect(run.stderr).not.toMatch(/SSL routines|deps\/openssl|\bError: /);
}
