import { Command, CommanderError } from 'commander';
import { register as bank } from './commands/bank.ts';
import { register as bundle } from './commands/bundle.ts';
import { register as certify } from './commands/certify.ts';
import { register as demo } from './commands/demo.ts';
import { register as init } from './commands/init.ts';
import { register as reconcile } from './commands/reconcile.ts';
import { register as replay } from './commands/replay.ts';
import { register as report } from './commands/report.ts';
import { register as setup } from './commands/setup.ts';
import { register as verify } from './commands/verify.ts';
import { register as trend } from './commands/trend.ts';
import { EXIT_CODES } from './util/cli-options.ts';
import { InternalError, UserError } from './util/errors.ts';
import { harnessVersion } from './util/paths.ts';

function program(): Command {
  const cli = new Command('bankcert')
    .description("Certify a bank's Clickatell Bank Interfaces implementation (reserveFunds, transactResult): correct, safe with money, fast enough.")
    .version(harnessVersion(), '-V, --version')
    .option('-v, --verbose', 'print every step while k6 runs, and the stack of an internal error')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES)
    .exitOverride();
  for (const register of [certify, demo, bank, init, report, verify, replay, trend, bundle, reconcile, setup]) register(cli);
  return cli;
}

/**
 * `bankcert --help | head -1`: the reader is gone, so what is left to print has nowhere to go. That is
 * not an error, and the command carries on (a certification still cleans up) with its exit code.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
}

const write = (line: string) => process.stderr.write(`${line}\n`);

function stackOf(err: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    lines.push(`${depth > 0 ? 'caused by: ' : ''}${e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e)}`);
  }
  return lines.join('\n');
}

/** A bug, not the user's mistake and not the bank's: exit 3 ("could not run"), never Node's exit 1, which CI reads as "not certified". */
function reportInternal(err: unknown, verbose: boolean): void {
  const [cause, hint] = err instanceof InternalError ? [err.cause, err.hint] : [err, []];
  const message = (cause instanceof Error ? cause.message : String(cause)).replace(/\s*\n\s*/g, ' ').trim();
  if (verbose) write(stackOf(cause));
  write(`bankcert: could not run: internal error: ${message}${verbose ? '' : '; --verbose shows the stack'}`);
  for (const line of hint) write(`  ${line}`);
}

async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  const cli = program();
  // Before commander has parsed anything (or when parsing itself failed), the raw arguments say it.
  const verbose = () => Boolean(cli.opts().verbose) || argv.slice(2).some((a) => a === '--verbose' || a === '-v');
  const internal = (err: unknown) => {
    reportInternal(err, verbose());
    process.exit(3);
  };
  process.on('uncaughtException', internal);
  process.on('unhandledRejection', internal);
  try {
    await cli.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message; help and version are not errors.
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof UserError) {
      write(`bankcert: ${err.message}`);
      for (const line of err.hint) write(`  ${line}`);
      process.exitCode = err.exitCode;
      return;
    }
    reportInternal(err, verbose());
    process.exitCode = 3;
  }
}

await main(process.argv);
