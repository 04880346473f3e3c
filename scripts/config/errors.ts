import { UserError } from '../util/errors.ts';

/**
 * A configuration the harness cannot use. `problems` holds one self-contained line per problem
 * (what, where, and a "Fix:"); the CLI prints each and exits 2. It is a UserError so the CLI's
 * generic handler also prints it correctly: the summary as message, the problems as hints.
 */
export class ConfigError extends UserError {
  readonly problems: string[];

  constructor(problems: string[], options?: { cause?: unknown; file?: string }) {
    const only = problems.length === 1 ? problems[0] : undefined;
    const summary = only ?? `${problems.length} problems in config${options?.file ? ` ${options.file}` : ''}:`;
    super(summary, 2, only === undefined ? problems : [], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
