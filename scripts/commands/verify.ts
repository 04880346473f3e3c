import type { Command } from 'commander';
import { spotCheck } from '../resend/spot-check.ts';
import { verboseOf } from '../util/cli-options.ts';
import { usageError } from '../util/errors.ts';
import { consoleUi } from '../util/terminal.ts';
import { verifyRun } from '../verify/verify.ts';

/** A whole number option, or a usage error naming it. */
function count(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw usageError(`${option} ${value}: give a whole number`);
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('verify')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert demo`)')
    .description(
      "check that DIR/result.json is what the run's records give: digest, record files, then every check, figure and the verdict re-derived with the same code",
    )
    .option('--against <config>', 'also spot-check the bank of this config: send recorded exchanges again and expect the answers the certificate records')
    .option('--sample <n>', 'with --against: how many recorded exchanges to send again, chosen at random', '10')
    .option('--seed <n>', 'with --against: the random seed (printed by every spot-check), to repeat one')
    .addHelpText(
      'after',
      '\nWithout --against it sends nothing. With it, the signing secret comes from the variable the config names, and whatever the bank grants is released at once (ledger in DIR/resent/; `bankcert reconcile DIR` finishes anything left open).\nExit 0 when everything matches, 4 when anything does not (each difference is printed), 3 when it cannot be checked (another bankcert version, no records, the bank unreachable).',
    )
    .action(async (dir: string, opts: { against?: string; sample: string; seed?: string }, command: Command) => {
      const ui = consoleUi(verboseOf(command));
      const sample = count('--sample', opts.sample) ?? 10;
      const seed = count('--seed', opts.seed);
      const verification = await verifyRun(dir, (line) => ui.info(line));
      let code: number = verification.exitCode;
      if (opts.against) {
        const spot = await spotCheck(dir, verification.result, verification.lines, { configPath: opts.against, sample, seed, env: process.env }, ui);
        // Both are 0 or EXIT_NOT_VALID (a spot-check that cannot run throws: exit 3).
        code = Math.max(code, spot);
      }
      process.exitCode = code;
    });
}
