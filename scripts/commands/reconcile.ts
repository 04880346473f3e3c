import type { Command } from 'commander';
import { reconcile } from '../ledger/reconcile.ts';
import { consoleUi } from '../util/terminal.ts';

export function register(program: Command): void {
  program
    .command('reconcile')
    .argument('<dir>', 'a folder written by `bankcert certify`')
    .description('finish every reservation a run left open (CLI killed, bank down during cleanup) with a failure transactResult')
    .addHelpText(
      'after',
      '\nUses DIR/plan.json and DIR/ledger.ndjson; a signed run needs its secret variable set again. Exit 0 when nothing stays open, 3 otherwise.',
    )
    .action(async (dir: string) => {
      process.exitCode = await reconcile(dir, process.env, consoleUi(false));
    });
}
