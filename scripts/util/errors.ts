/**
 * Errors a user can act on. The CLI prints `message` as one line (plus `hint` lines) and exits with
 * `exitCode`, never a stack trace. Anything else is a bug: one line, exit 3 ("could not run"), never
 * Node's exit 1, which CI would read as "not certified"; --verbose shows its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3,
    readonly hint: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Exit 2: usage or configuration. */
export function usageError(message: string, hint: string[] = [], cause?: unknown): UserError {
  return new UserError(message, 2, hint, { cause });
}

/** Exit 3: could not run (k6 missing, target unreachable, run incomplete). */
export function cannotRun(message: string, hint: string[] = [], cause?: unknown): UserError {
  return new UserError(message, 3, hint, { cause });
}

/**
 * An unexpected error (a bug) with what the user must still do about it, e.g. reservations left open
 * for `bankcert reconcile`. The CLI prints it as any internal error, then the hint lines.
 */
export class InternalError extends Error {
  constructor(
    cause: unknown,
    readonly hint: string[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'InternalError';
  }
}
