import type { Command } from 'commander';
import { replayCheck } from '../resend/replay.ts';
import { verboseOf } from '../util/cli-options.ts';
import { consoleUi } from '../util/terminal.ts';

export function register(program: Command): void {
  program
    .command('replay')
    .argument('<dir>', 'a folder written by `bankcert certify`')
    .argument('<check-id>', 'the check whose failing exchanges to send again, e.g. RF-2040')
    .description("send a check's failing exchanges again (fresh references, signed from the environment) and print the run's answer and today's side by side")
    .option('-c, --config <file>', "a config for what the run's plan does not hold: the accounts' authCodes, or another target")
    .addHelpText(
      'after',
      "\nSends to the run's bank (DIR/plan.json) unless --config names another. Whatever the bank grants is released at once (ledger in DIR/resent/; `bankcert reconcile DIR` finishes anything left open).\nExit 1 when an answer is still the failing one, 0 when none is, 2 for an unknown check id, 3 when nothing could be sent.",
    )
    .action(async (dir: string, id: string, opts: { config?: string }, command: Command) => {
      const ui = consoleUi(verboseOf(command));
      process.exitCode = await replayCheck(dir, id, { configPath: opts.config, env: process.env }, ui);
    });
}
